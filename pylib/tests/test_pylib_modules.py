"""pylib's modules depend on each other without a circle, and `train` uses only the models'
public interface (training.TRAINING_INTERFACE)."""
import ast
from pathlib import Path

import pylib

PACKAGE = Path(pylib.__file__).parent


def imports_of(path):
    """The pylib modules that the module at `path` imports, anywhere in it (functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.update([node.module] if node.module else [alias.name for alias in node.names])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pylib."):
            found.add(node.module.removeprefix("pylib."))
    return {name.split(".")[0] for name in found}


def a_circle(graph):
    """A list of module names that import each other in a circle, or None."""
    done, path = set(), []

    def visit(name):
        if name in path:
            return path[path.index(name):] + [name]
        if name in done:
            return None
        path.append(name)
        for other in sorted(graph.get(name, ())):
            circle = visit(other)
            if circle:
                return circle
        path.pop()
        done.add(name)
        return None

    for name in sorted(graph):
        circle = visit(name)
        if circle:
            return circle
    return None


def test_no_two_pylib_modules_import_each_other_in_a_circle():
    graph = {path.stem: imports_of(path) for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    assert "training" in graph["model"], "the import walk did not see model's import of training"
    circle = a_circle(graph)
    assert circle is None, "pylib's modules import each other in a circle: " + " -> ".join(circle)


def test_the_circle_finder_finds_one():
    assert a_circle({"model": {"training"}, "training": {"model"}}) == ["model", "training", "model"]


def test_train_uses_only_the_public_interface_of_a_model():
    from pylib.training import TRAINING_INTERFACE
    source = (PACKAGE / "training.py").read_text(encoding="utf-8")
    private = sorted({node.attr for node in ast.walk(ast.parse(source))
                      if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                      and isinstance(node.value, ast.Name) and node.value.id == "model"})
    assert private == [], f"train reaches into the model's private {private}"
    for name in TRAINING_INTERFACE:
        assert hasattr(pylib.SoftmaxNetwork(4, 3), name), name
