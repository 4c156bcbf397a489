"""The vectorised engine: the rules of :mod:`jifen.rules` over whole columns of holders with numpy."""
