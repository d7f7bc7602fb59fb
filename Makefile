# stsconform: StatefulSet conformance on kind clusters or a cluster you give.
# `make help` lists the targets; variables can be set on the command line.

SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help

ARTIFACTS            ?= $(CURDIR)/_artifacts
GINKGO_LABEL_FILTER  ?=
# Three processes on two cores: the specs mostly wait on kubelets and the
# controller, so a third overlaps more waiting (figures in docs/performance.md).
GINKGO_NODES         ?= 3
GINKGO_ARGS          ?=
# In-cluster runs (e2e-in-cluster, e2e-hydrophone): only the specs matching
# this regular expression; empty: all (hydrophone: the Conformance label).
GINKGO_FOCUS         ?=
# Empty: build (or reuse) the hermetic node image and use it. Set it to an
# official image (one of .github/kind-images.txt) where a registry exists.
KIND_NODE_IMAGE      ?=
# The hermetic node image's Kubernetes: a release (v1.36.3) or a supported
# minor (v1.36); empty: the newest supported minor's release
# (fixtures/support.yaml).
KUBERNETES_VERSION   ?=
KIND_CLUSTER_NAME    ?= stsconform
KIND_CONFIG          ?= $(CURDIR)/kind-config.yaml
# Set KUBECONFIG to run against an existing cluster instead of creating one.
KUBECONFIG           ?=
KEEP_CLUSTER         ?= false
# cluster-down deletes only a cluster stsconform made; FORCE=true deletes any
# kind cluster of KIND_CLUSTER_NAME.
FORCE                ?= false
# Test images on a cluster that cannot get the locally built ones: a file
# mapping roles to references (the shape of fixtures/images.yaml), or one
# registry that holds them all.
IMAGES               ?=
IMAGE_REGISTRY       ?=
# Suite flags (after ginkgo's `--`), e.g. E2E_FLAGS='--timeout-dns=3m'.
E2E_FLAGS            ?=
E2E_TIMEOUT          ?= 60m
SELFTEST_FLAGS       ?=
# The suite's identity in the certification report: `go test` stamps no VCS
# information into a test binary, so it is passed with -ldflags (empty
# outside a git clone: the report then says "unknown").
SUITE_VERSION        ?= $(shell git describe --tags --always --dirty 2>/dev/null)
SUITE_COMMIT         ?= $(shell git rev-parse HEAD 2>/dev/null)
STSCONFORM_CACHE     ?= $(HOME)/.cache/stsconform

GO      ?= go
GINKGO  := $(GO) tool ginkgo
STSCONFORM = $(GO) run -ldflags '$(E2E_LDFLAGS)' ./cmd/stsconform
OFFLINE_IMAGES = $(GO) run ./hermetic/cmd/offline-images
K8S_VERSION_FLAG = $(if $(KUBERNETES_VERSION),--kubernetes-version $(KUBERNETES_VERSION))
HERMETIC_IMAGE = $(shell $(OFFLINE_IMAGES) print-image $(K8S_VERSION_FLAG))
BUILDINFO = github.com/stsconform/stsconform/framework/buildinfo
E2E_LDFLAGS = -X $(BUILDINFO).Version=$(SUITE_VERSION) -X $(BUILDINFO).Commit=$(SUITE_COMMIT)

export STSCONFORM_CACHE

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN{FS=":.*## "} /^[a-zA-Z0-9_-]+:.*## /{printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: test
test: ## Unit tests (no cluster needed).
	$(GO) test ./...

.PHONY: lint
lint: ## go vet, golangci-lint (with ginkgolinter) and actionlint; tools pinned in tools/go.mod.
	$(GO) vet -tags=e2e ./...
	$(GO) tool -modfile=tools/go.mod golangci-lint run ./...
	bash tools/lint-workflows.sh

.PHONY: docker-up
docker-up: ## Make a Docker engine answer (installs and starts one when needed).
	@bash hermetic/docker-up.sh

.PHONY: images
images: docker-up ## Build the hermetic node image and test images (cached).
	$(OFFLINE_IMAGES) build $(K8S_VERSION_FLAG)

.PHONY: runner-image
runner-image: docker-up ## Build the runner image: the compiled suite for in-cluster runs (hydrophone, Sonobuoy, run --in-cluster).
	$(OFFLINE_IMAGES) runner --suite-ldflags '$(E2E_LDFLAGS)'

.PHONY: node-image-or-given
node-image-or-given:
	@if [ -z "$(KIND_NODE_IMAGE)" ]; then $(MAKE) --no-print-directory images; else $(OFFLINE_IMAGES) build --workloads-only; fi

.PHONY: cluster-up
cluster-up: docker-up node-image-or-given ## Create the kind cluster from kind-config.yaml (every node Ready); make e2e then reuses it.
	$(STSCONFORM) cluster-up --name $(KIND_CLUSTER_NAME) --config $(KIND_CONFIG) \
		--image "$(or $(KIND_NODE_IMAGE),$(HERMETIC_IMAGE))" --kubeconfig $(ARTIFACTS)/kubeconfig

.PHONY: cluster-down
cluster-down: ## Delete the kind cluster if stsconform made it (FORCE=true: any).
	$(STSCONFORM) cluster-down --name $(KIND_CLUSTER_NAME) $(if $(filter true,$(FORCE)),--force)

# The suite writes the certification report (report.html, report.md,
# certification.json) in its ReportAfterSuite, before ginkgo writes
# report.json and junit.xml; `stsconform report` then renders it again so that
# its manifest lists those too. One shell line: the suite's exit status is
# the target's, whatever the re-rendering does.
.PHONY: e2e
e2e: docker-up node-image-or-given ## Run the conformance suites (KUBECONFIG's cluster, else the one cluster-up kept, else a new one).
	@mkdir -p $(ARTIFACTS)
	$(GINKGO) run --tags=e2e --timeout=$(E2E_TIMEOUT) --procs=$(GINKGO_NODES) \
		--label-filter='$(GINKGO_LABEL_FILTER)' --ldflags='$(E2E_LDFLAGS)' \
		--junit-report=junit.xml --json-report=report.json --output-dir=$(ARTIFACTS) \
		$(GINKGO_ARGS) ./suites/statefulset -- \
		--artifacts=$(ARTIFACTS) --kind-config=$(KIND_CONFIG) --cluster-name=$(KIND_CLUSTER_NAME) \
		--node-image="$(or $(KIND_NODE_IMAGE),$(HERMETIC_IMAGE))" --keep-cluster=$(KEEP_CLUSTER) \
		$(if $(KUBECONFIG),--kubeconfig=$(KUBECONFIG)) $(if $(IMAGES),--images=$(IMAGES)) \
		$(if $(IMAGE_REGISTRY),--image-registry=$(IMAGE_REGISTRY)) $(E2E_FLAGS); \
	rc=$$?; \
	$(STSCONFORM) report $(ARTIFACTS) || echo "make e2e: stsconform report failed (above); no certification report stands in $(ARTIFACTS)" >&2; \
	exit $$rc

# Each breakage of fixtures/selftest gets its own small kind cluster
# (stsconform-selftest), made and deleted one after another; see
# docs/selftest.md. SELFTEST_FLAGS, e.g. --only=parallel-mutation.
# In-cluster runs: the suite runs from a pod of the cluster (the runner
# image), as hydrophone and Sonobuoy run conformance images.
HYDROPHONE_VERSION ?= v0.8.0
HYDROPHONE          = $(STSCONFORM_CACHE)/bin/hydrophone-$(HYDROPHONE_VERSION)
CLUSTER_KUBECONFIG  = $(or $(KUBECONFIG),$(ARTIFACTS)/kubeconfig)
IMAGE_FLAGS         = $(if $(IMAGES),--images=$(IMAGES)) $(if $(IMAGE_REGISTRY),--image-registry=$(IMAGE_REGISTRY))

.PHONY: e2e-in-cluster
e2e-in-cluster: runner-image ## Run the suite from a pod of KUBECONFIG's cluster (else cluster-up's) with least-privilege RBAC; results into ARTIFACTS.
	$(STSCONFORM) run --in-cluster --kubeconfig $(CLUSTER_KUBECONFIG) --artifacts $(ARTIFACTS) $(IMAGE_FLAGS) \
		--procs $(GINKGO_NODES) --timeout $(E2E_TIMEOUT) $(if $(GINKGO_FOCUS),--focus='$(GINKGO_FOCUS)')

$(HYDROPHONE):
	@mkdir -p $(@D)
	GOBIN=$(@D) GOFLAGS=-mod=mod $(GO) install sigs.k8s.io/hydrophone@$(HYDROPHONE_VERSION) && mv $(@D)/hydrophone $@

.PHONY: e2e-hydrophone
e2e-hydrophone: $(HYDROPHONE) ## Run the runner image under hydrophone on KUBECONFIG's cluster; IMAGE_REGISTRY must hold every image (images push; IMAGES pins digests).
	@test -n "$(IMAGE_REGISTRY)" || { echo "e2e-hydrophone: set IMAGE_REGISTRY to the registry the images were pushed to (stsconform images push)" >&2; exit 2; }
	$(HYDROPHONE) --kubeconfig $(CLUSTER_KUBECONFIG) --output-dir $(ARTIFACTS)/hydrophone --parallel $(GINKGO_NODES) \
		--conformance-image $$($(STSCONFORM) images list $(IMAGE_FLAGS) --role runner) \
		--busybox-image $$($(STSCONFORM) images list $(IMAGE_FLAGS) --role busybox) \
		--extra-args=--image-registry=$(IMAGE_REGISTRY) $(if $(GINKGO_FOCUS),--focus='$(GINKGO_FOCUS)',--conformance)

.PHONY: selftest
selftest: docker-up node-image-or-given ## Run the suite against clusters broken on purpose; passes only if each breakage is detected (11 min idle, up to 19 loaded).
	$(STSCONFORM) selftest --image "$(or $(KIND_NODE_IMAGE),$(HERMETIC_IMAGE))" --artifacts $(ARTIFACTS)/selftest \
		--procs $(GINKGO_NODES) $(SELFTEST_FLAGS)

.PHONY: report
report: ## Render report.html, report.md and certification.json again from $(ARTIFACTS).
	$(STSCONFORM) report $(ARTIFACTS)
