# The two commands of the README. Everything else is in scripts/.
.PHONY: run test install train bench-nlu clean

run: install
	scripts/run.sh

test: install
	scripts/test.sh

install:
	scripts/install.sh

train: install
	scripts/train.sh config.yml

bench-nlu: install
	.venv/bin/python -m bot bench-nlu

clean:
	rm -rf models var
