package diagnostics

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	corev1 "k8s.io/api/core/v1"
)

func (d *dumper) logs(ctx context.Context, pods []corev1.Pod) {
	if len(pods) == 0 {
		return
	}
	dir := d.path("logs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		d.fail("creating logs/", err)
		return
	}
	for _, p := range pods {
		restarts := restartCounts(p)
		containers := append(append([]corev1.Container(nil), p.Spec.InitContainers...), p.Spec.Containers...)
		for _, c := range containers {
			base := filepath.Join(dir, p.Name+"_"+c.Name)
			d.fail("writing logs of "+p.Name+"/"+c.Name, writeLog(base+".log", d.logStream(ctx, p.Name, c.Name, false)))
			if restarts[c.Name] > 0 {
				d.fail("writing previous logs of "+p.Name+"/"+c.Name, writeLog(base+"_previous.log", d.logStream(ctx, p.Name, c.Name, true)))
			}
		}
	}
}

func (d *dumper) logStream(ctx context.Context, pod, container string, previous bool) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		return d.c.CoreV1().Pods(d.ns).GetLogs(pod, &corev1.PodLogOptions{Container: container, Previous: previous}).Stream(ctx)
	}
}

// writeLog copies the stream into path. A log that cannot be read (a
// container that never started, a node that is gone, a fake clientset) is
// a fact about the pod, so it is noted in the file rather than reported;
// only failing to write the file is an error.
func writeLog(path string, open func() (io.ReadCloser, error)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	r, err := open()
	if err != nil {
		_, werr := fmt.Fprintf(f, "logs unavailable: %v\n", err)
		return closeWith(f, werr)
	}
	_, err = io.Copy(f, r)
	_ = r.Close()
	if err != nil {
		// Keep what was read and say where it stopped.
		_, _ = fmt.Fprintf(f, "\n--- log stream broke off: %v\n", err)
	}
	return closeWith(f, nil)
}

func closeWith(f *os.File, err error) error {
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func restartCounts(p corev1.Pod) map[string]int32 {
	m := map[string]int32{}
	for _, s := range append(append([]corev1.ContainerStatus(nil), p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...) {
		m[s.Name] = s.RestartCount
	}
	return m
}
