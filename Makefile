# Measurements (README "Measuring"). accuracy builds in the dev profile (dependencies at opt-level 3);
# bench in cargo's bench profile (release settings), binaries included.
.PHONY: demo accuracy bench test bench-serve

demo:
	cargo run -q --bin kyufu-corpus -- --out . --count 8 --seed 1 --inbox-only
	cargo run -q --bin kyufu -- run --once

# The seed the reading is tuned on (7) and three seeds nobody looks at while developing, one column
# each; only seed 7's misses are printed (README "Measuring"). One seed, with its misses:
# make accuracy SEED=11. It builds every binary first: kyufu-accuracy runs the kyufu and kyufu-corpus
# beside it, which would otherwise be whatever an earlier build left.
TUNED_SEED = 7
UNTOUCHED_SEEDS = 101,202,404
ifdef SEED
ACCURACY_SEEDS = --seed $(SEED)
else
ACCURACY_SEEDS = --seed $(TUNED_SEED) --untouched $(UNTOUCHED_SEEDS)
endif
accuracy:
	cargo build -q --bins
	cargo run -q --bin kyufu-accuracy -- --count 60 $(ACCURACY_SEEDS)

bench:
	cargo bench --bench pipeline

test:
	cargo test

# The watcher's figures: journal overhead per document, landing-to-claim latency (issue 3).
bench-journal:
	cargo bench --bench journal

# The desk under load: 20 reviewers on loopback for 60 s (KYUFU_LOAD_SECONDS), p50/p95, RSS,
# audit verify afterwards (issue 20).
bench-serve:
	cargo bench --bench serve
