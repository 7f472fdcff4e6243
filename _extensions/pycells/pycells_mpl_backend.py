"""Matplotlib backend for pycells: Agg rendering; show() sends the figures to the page."""
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


def show(*args, **kwargs):
    from pycells_support import emit_open_figures
    emit_open_figures()
