"""The bench times the training chapter 6 runs on all 60,000 digits, and reports its ratio."""

from bench.run import TARGETS, pyodide_to_native_ratio, softmax_plan, target_status, training_plans

CELLS = [
    "model = SoftmaxNetwork(196, 64, seed=0)\n"
    "train(model, X_train, Y_train, epochs=5, learning_rate=0.5, batch_size=128, momentum=0.9, seed=0)\n",
    "small = SoftmaxNetwork(196, 64, seed=0)\n"
    "train(small, X_few, Y_few, epochs=60, learning_rate=0.5, batch_size=50, momentum=0.9, seed=0)\n",
]


def test_training_plans_record_the_data_each_stage_trains_on():
    plans = training_plans(CELLS)
    assert [plan["data"] for plan in plans] == [["X_train"], ["X_few"]]


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


def test_ratio_target_replaces_the_blas_speedup_targets():
    keys = [key for key, *_ in TARGETS]
    assert "pyodide_to_native_ratio" in keys
    assert not {"blas_speedup", "blas_speedup_seed_training"} & set(keys)
    status = {row[0]: row[-1] for row in target_status({"pyodide_to_native_ratio": 3.5})}
    assert status["pyodide_to_native_ratio"] == "MISS"
    status = {row[0]: row[-1] for row in target_status({"pyodide_to_native_ratio": 2.9})}
    assert status["pyodide_to_native_ratio"] == "pass"
