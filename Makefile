.PHONY: run test bench

run:  ## set up and start the app (offline by default)
	scripts/run.sh

test:  ## set up and run the whole test suite
	scripts/test.sh

bench:  ## print the benchmark figures
	scripts/bootstrap.sh
	for b in benchmarks/*.py; do .venv/bin/python $$b || exit 1; done
