"""The bench times the training chapter 6 runs on all 60,000 digits, and reports its ratio and each
chapter's WebAssembly heap."""

from types import SimpleNamespace

import pytest

from bench.run import (TARGETS, heap_figures, markdown_table, pyodide_to_native_ratio, record_heaps, softmax_plan,
                       target_status, training_plans)

CELLS = [
    "model = SoftmaxNetwork(196, 64, seed=0)\n"
    "train(model, X_train, Y_train, epochs=5, learning_rate=0.5, batch_size=128, momentum=0.9, seed=0)\n",
    "small = SoftmaxNetwork(196, 64, seed=0)\n"
    "train(small, X_few, Y_few, epochs=60, learning_rate=0.5, batch_size=50, momentum=0.9, seed=0)\n",
    "scaled = SoftmaxNetwork(196, 32, seed=0)\n"
    "train(scaled, scale_pixels(X_train), Y_train, epochs=2, learning_rate=0.5, batch_size=128)\n",
]


def test_training_plans_record_the_data_each_stage_trains_on():
    plans = training_plans(CELLS)
    assert [plan["data"] for plan in plans] == [["X_train"], ["X_few"], ["X_train"]]


def test_the_chapters_plan_is_its_training_on_all_digits_not_the_longer_small_data_one():
    plan, note = softmax_plan()
    assert note == "read from 06-softmax.qmd"
    assert plan["hidden"] == 64
    assert [(stage["epochs"], stage["batch_size"]) for stage in plan["stages"]] == [(5, 128), (3, 128)]
    assert "data" not in plan


def test_ratio_is_pyodide_over_native_and_only_when_both_were_measured():
    assert pyodide_to_native_ratio({"pyodide_softmax_train_s": 9.0, "native_softmax_train_s": 2.0}) == {
        "pyodide_to_native_ratio": 4.5}
    assert pyodide_to_native_ratio({"pyodide_softmax_train_s": 9.0}) == {}


@pytest.mark.parametrize("key, comparison, threshold", [(key, comparison, threshold) for key, comparison, threshold, _
                                                            in TARGETS if comparison != "=="])
def test_each_target_passes_on_its_side_of_the_threshold_and_misses_on_the_other(key, comparison, threshold):
    inside, outside = (threshold * 0.9, threshold * 1.1) if comparison.startswith("<") else (threshold * 1.1, threshold * 0.9)
    def status(results):
        return {row[0]: row[-1] for row in target_status(results)}[key]
    assert (status({key: inside}), status({key: outside}), status({})) == ("pass", "MISS", "not measured")


def chapter_run(*heaps):
    return SimpleNamespace(cells=[SimpleNamespace(heap_bytes=heap) for heap in heaps])


def test_a_chapter_run_reports_its_heap_after_the_first_cell_and_its_peak():
    mb = 1024 * 1024
    assert heap_figures(chapter_run(70 * mb, 200 * mb, 150 * mb)) == {
        "heap_after_first_cell_mb": 70.0, "heap_peak_mb": 200.0}
    assert heap_figures(chapter_run(None)) == {"heap_after_first_cell_mb": None, "heap_peak_mb": None}


def test_the_bench_reports_each_chapters_heap_and_its_targets():
    results = {"chapter_runs": {"01-digits": {"runs": [{"heap_after_first_cell_mb": 70.0, "heap_peak_mb": 200.0}]},
                                "02-neuron": {"runs": [{"heap_after_first_cell_mb": 90.0, "heap_peak_mb": 120.0}]}}}
    record_heaps(results, results["chapter_runs"])
    assert results["chapter_heap_peak_mb"] == {"01-digits": 200.0, "02-neuron": 120.0}
    assert results["chapter_heap_after_first_cell_max_mb"] == 90.0
    status = {row[0]: row[-1] for row in target_status(results)}
    assert status["chapter_heap_peak_max_mb"] == "pass"
    assert status["chapter_heap_after_first_cell_max_mb"] == "MISS"
    for name in results["chapter_runs"]:
        results["chapter_runs"][name].update(median_s=10.0, cells=3, ok=True)
        results["chapter_runs"][name]["runs"][0].update(total_s=10.0, startup_s=4.0)
    assert "| chapter_heap_mb[01-digits] | 200.00 | after the first cell 70.00 |" in markdown_table(results)
