# Keel: `make devnet` and `make test` are the two commands of the README's quick start.
# Both first install the Debian packages the build needs, if any is missing (root, or sudo).

SWIFT ?= swift
APT_PACKAGES := pkg-config libsecp256k1-dev libsqlite3-dev sqlite3 libyaml-dev libbrotli-dev zlib1g-dev libisal-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release test devnet devnet-keys validium validium-keys optimistic optimistic-keys bench clean

all: build

deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing$$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The whole suite: unit tests, plugin libraries loaded through dlopen, end-to-end runs of `keel`.
# One test at a time: the end-to-end tests run real nodes under load (the DA swap test must keep
# 300 transfers/s flowing), and on a 2-core machine parallel suites starve each other. It takes
# no longer than the parallel run (about 2.5 minutes after the build).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

# The embedded default rollup: chain 901 on http://127.0.0.1:8545 with the ten development accounts
# funded, its DA, L1 and data under .keel/devnet. Ctrl-C stops it cleanly; `make devnet` again resumes.
devnet: release devnet-keys
	.build/release/keel up manifests/devnet.yaml

# The end-to-end benchmark of docs/PERFORMANCE.md (release build).
bench: release
	.build/release/keel bench

# The devnet's sequencer and attestor key: development account 0 of the public test mnemonic.
DEVNET_KEYS := .keel/devnet/keys
DEVNET_DEV_KEY := 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80

devnet-keys:
	@mkdir -p $(DEVNET_KEYS)
	@for key in sequencer attestor; do \
		if [ ! -f $(DEVNET_KEYS)/$$key.key ]; then (umask 077; echo $(DEVNET_DEV_KEY) > $(DEVNET_KEYS)/$$key.key); fi; \
		chmod 600 $(DEVNET_KEYS)/$$key.key; \
	done

# The validium of manifests/validium.yaml: three DAC members (development accounts 1-3 on ports
# 7101-7103) and the node beside them, chain 903 on http://127.0.0.1:8546, data under .keel/validium.
# Ctrl-C stops the node and the members cleanly (scripts/validium.sh).
validium: release validium-keys
	scripts/validium.sh .build/release/keel

# The validium's keys, mode 0600: account 0 signs blocks and attests, accounts 1-3 are the DAC.
VALIDIUM_KEYS := .keel/validium/keys

validium-keys:
	@mkdir -p $(VALIDIUM_KEYS)
	@set -e; write() { if [ ! -f $(VALIDIUM_KEYS)/$$1.key ]; then (umask 077; echo $$2 > $(VALIDIUM_KEYS)/$$1.key); fi; chmod 600 $(VALIDIUM_KEYS)/$$1.key; }; \
	write sequencer $(DEVNET_DEV_KEY); write attestor $(DEVNET_DEV_KEY); \
	write member-1 0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d; \
	write member-2 0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a; \
	write member-3 0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6

# The optimistic rollup of manifests/optimistic.yaml (chain 904 on http://127.0.0.1:8547) and a
# challenger beside it (development account 1), data under .keel/optimistic. Ctrl-C stops both
# cleanly (scripts/optimistic.sh).
optimistic: release optimistic-keys
	scripts/optimistic.sh .build/release/keel

# The optimistic rollup's keys, mode 0600: account 0 sequences and proposes, account 1 challenges.
OPTIMISTIC_KEYS := .keel/optimistic/keys

optimistic-keys:
	@mkdir -p $(OPTIMISTIC_KEYS)
	@set -e; write() { if [ ! -f $(OPTIMISTIC_KEYS)/$$1.key ]; then (umask 077; echo $$2 > $(OPTIMISTIC_KEYS)/$$1.key); fi; chmod 600 $(OPTIMISTIC_KEYS)/$$1.key; }; \
	write sequencer $(DEVNET_DEV_KEY); write proposer $(DEVNET_DEV_KEY); \
	write challenger 0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d

clean:
	rm -rf .build .keel
