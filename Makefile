# The two commands of the README. Everything else is in scripts/.
.PHONY: run run-prod test install train bench-nlu bench-load bench-long clean

run: install
	scripts/run.sh

test: install
	scripts/test.sh

install:
	scripts/install.sh

train: install
	scripts/train.sh config.yml

run-prod:
	scripts/install.sh --runtime
	scripts/run_prod.sh

bench-load: install
	.venv/bin/python bench/bench_load.py

bench-long: install
	.venv/bin/python bench/bench_long.py

bench-nlu: install
	.venv/bin/python bench/bench_nlu.py

clean:
	rm -rf models var
