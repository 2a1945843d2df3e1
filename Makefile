# Two commands do all the set-up on a fresh machine:
#   make check   the learner's progress check (creates .venv on first use)
#   make test    the project's own tests: every exercise test against solutions/, plus tests/meta and tests/support
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup check test bench gradescope clean
setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing bert-kata and its pinned dependencies into $(VENV) (first time: a few minutes) ..."
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	@touch $(STAMP)

# N=3 checks one exercise. Exits non-zero until every checked exercise is done.
check: $(STAMP)
	@$(BIN)/bert-kata check $(N)

# -n auto: one worker per core (pytest-xdist); tests that must share a process carry an xdist_group mark.
test: $(STAMP)
	HF_HUB_OFFLINE=1 KATA_HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest --target=solutions -n auto --dist loadgroup tests

bench: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python bench/bench.py $(BENCH_ARGS)

# The Gradescope autograder zip (see README: "Grading on a platform").
gradescope:
	$(PYTHON) autograders/gradescope/build_zip.py build/gradescope-autograder.zip

clean:
	rm -rf $(VENV) .hypothesis
