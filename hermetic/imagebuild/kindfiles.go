package imagebuild

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Wrapper is where the capability wrapper lives in nodes and on hosts.
const Wrapper = "/usr/local/sbin/stsconform-runc"

// KindBaseFiles adds kind's node base files (images/base/files of the
// sigs.k8s.io/kind module) to t, with the containerd config adapted.
func KindBaseFiles(t *Tree, kindDir string) error {
	root := filepath.Join(kindDir, "images", "base", "files")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() || strings.HasPrefix(rel, "LICENSES") {
			return nil
		}
		mode := int64(0o644)
		if strings.HasPrefix(rel, "usr/local/bin/") || strings.HasPrefix(rel, "kind/bin/") {
			mode = 0o755
		}
		if rel == "etc/containerd/config.toml" {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			adapted, err := AdaptContainerdConfig(string(b))
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			t.File(rel, mode, []byte(adapted))
			return nil
		}
		t.HostFile(rel, mode, p)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read kind base files: %w", err)
	}
	for _, must := range []string{"usr/local/bin/entrypoint", "etc/containerd/config.toml", "etc/systemd/system/kubelet.service"} {
		if _, ok := t.entries[must]; !ok {
			return fmt.Errorf("kind module at %s has no images/base/files/%s; this kind version's layout is not supported", kindDir, must)
		}
	}
	t.Dir("kind/bin", 0o755)
	return nil
}

// AdaptContainerdConfig points runc at the capability wrapper and stops
// containerd lowering oom_score_adj. On hosts whose bounding set lacks
// CAP_SYS_RESOURCE every pod sandbox fails without the second ("can't get
// final child's PID from pipe: EOF"); on other hosts both are no-ops in
// effect: the wrapper drops nothing and pods keep the default score.
func AdaptContainerdConfig(cfg string) (string, error) {
	const oom = "restrict_oom_score_adj = false"
	if !strings.Contains(cfg, oom) {
		return "", fmt.Errorf("containerd config has no %q line to change", oom)
	}
	cfg = strings.Replace(cfg, oom, "restrict_oom_score_adj = true", 1)
	const opt = "SystemdCgroup = true"
	n := strings.Count(cfg, opt)
	if n == 0 {
		return "", fmt.Errorf("containerd config has no runc options (%q) to add BinaryName to", opt)
	}
	cfg = strings.ReplaceAll(cfg, opt, opt+"\n    BinaryName = \""+Wrapper+"\"")
	return cfg, nil
}

// CRIBaseSpec adapts `ctr oci spec` output the way kind's base image does: a
// createContainer hook that mounts the node's product files, and no rlimits.
func CRIBaseSpec(spec []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("decode oci spec: %w", err)
	}
	hooks, _ := doc["hooks"].(map[string]any)
	if hooks == nil {
		hooks = map[string]any{}
	}
	cc, _ := hooks["createContainer"].([]any)
	hooks["createContainer"] = append(cc, map[string]any{"path": "/kind/bin/mount-product-files.sh"})
	doc["hooks"] = hooks
	if p, ok := doc["process"].(map[string]any); ok {
		delete(p, "rlimits")
	}
	return json.MarshalIndent(doc, "", "  ")
}

// KindStorageManifest reads kind's default storage manifest (a Go constant
// in pkg/build/nodeimage/const_storage.go) and substitutes the provisioner
// and helper images.
func KindStorageManifest(kindDir, provisionerImage, helperImage string) (string, error) {
	p := filepath.Join(kindDir, "pkg", "build", "nodeimage", "const_storage.go")
	f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
	if err != nil {
		return "", fmt.Errorf("read kind storage manifest: %w", err)
	}
	subst := map[string]string{"storageProvisionerImage": provisionerImage, "storageHelperImage": helperImage}
	var manifest string
	var evalErr error
	var eval func(e ast.Expr) string
	eval = func(e ast.Expr) string {
		switch x := e.(type) {
		case *ast.BasicLit:
			s, err := strconv.Unquote(x.Value)
			if err != nil {
				evalErr = err
			}
			return s
		case *ast.Ident:
			v, ok := subst[x.Name]
			if !ok {
				evalErr = fmt.Errorf("unknown identifier %s in defaultStorageManifest", x.Name)
			}
			return v
		case *ast.BinaryExpr:
			return eval(x.X) + eval(x.Y)
		case *ast.ParenExpr:
			return eval(x.X)
		}
		evalErr = fmt.Errorf("unsupported expression %T in defaultStorageManifest", e)
		return ""
	}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range vs.Names {
			if name.Name == "defaultStorageManifest" && i < len(vs.Values) {
				manifest = eval(vs.Values[i])
			}
		}
		return false
	})
	if evalErr != nil {
		return "", fmt.Errorf("%s: %w", p, evalErr)
	}
	if manifest == "" {
		return "", fmt.Errorf("%s: no defaultStorageManifest constant", p)
	}
	return manifest, nil
}
