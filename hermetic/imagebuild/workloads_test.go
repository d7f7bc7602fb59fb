package imagebuild

import (
	"slices"
	"testing"

	"github.com/stsconform/stsconform/fixtures"
)

// Every role of fixtures/images.yaml is built under exactly the name the
// suites run it by.
func TestWorkloadImagesFollowTheFixture(t *testing.T) {
	names, err := fixtures.DefaultImages()
	if err != nil {
		t.Fatal(err)
	}
	specs, err := WorkloadImages("rootfs.tar", "1.35.0", ImageSpec{BaseTar: "zk.tar"})
	if err != nil {
		t.Fatal(err)
	}
	built := Names(specs)
	// The runner is built by RunnerImage, from this repository's code.
	if slices.Contains(built, names[RoleRunner]) {
		t.Errorf("the workload images include the runner %s", names[RoleRunner])
	}
	delete(names, RoleRunner)
	for role, ref := range names {
		if !slices.Contains(built, ref) {
			t.Errorf("role %s: %s is not built (built: %v)", role, ref, built)
		}
	}
	if len(built) != len(names) {
		t.Errorf("built %v for %d roles", built, len(names))
	}
	bb, err := busyboxImage()
	if err != nil || bb != names[RoleBusybox] {
		t.Errorf("busybox image = %q, %v", bb, err)
	}
}
