"""smolgraph: a knowledge graph of a region's international contacts.

The Python API, at the package's top level::

    import smolgraph

    smolgraph.ingest(["report.docx"], store="my-store")          # read, check, store
    rows = smolgraph.contacts("Витебская область", store="my-store")
    frame = rows.to_dataframe()                                  # with pandas installed
    rows = smolgraph.ask("events-with-person", {"person": "Крыловым"}, store="my-store")
    analysis = smolgraph.network(store="my-store", level="region")
    graphs = smolgraph.dataset(store="my-store")                 # an rdflib Dataset

The functions are those of `smolgraph.api`, where each is documented. Every
name is imported on first use (PEP 562), so ``import smolgraph`` loads
nothing else.

``smolgraph.ingest``, ``smolgraph.ask`` and ``smolgraph.network`` are also
the modules of those names, and stay modules: ``import smolgraph.ask``,
``from smolgraph.network import analyse`` and
``monkeypatch.setattr(smolgraph.ingest, …)`` work as before. Calling one
calls the function of `smolgraph.api` with that name. (A plain function
under the same name would be replaced by the module as soon as anything
imported it, or would hide the module from ``import smolgraph.ask as m``.)
For a plain function, to pass around or for a type checker:
``from smolgraph.api import ask, ingest, network``.
"""
import sys

# Nothing else is imported here: ``types`` and ``importlib`` alone would make this file's import several times slower.
_ModuleType = type(sys)

__version__ = "0.1.0"

#: The functions of `smolgraph.api` offered here, imported when first asked for.
_FUNCTIONS = ("contacts", "open_store", "inspect_report", "read_report", "dataset", "to_dataframe", "Rows")
#: Submodules that can be called: calling one is the function of `smolgraph.api` with its name.
_CALLABLE = ("ingest", "ask", "network")
#: The other modules of the API's reference (what the functions take and return).
_MODULES = ("api", "errors", "inspection", "read", "records", "remote", "store")

__all__ = [*_CALLABLE, *_FUNCTIONS, *_MODULES]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:  # what a type checker sees: the functions
    from .api import Rows, ask, contacts, dataset, ingest, inspect_report, network, open_store, read_report, to_dataframe


def _submodule(name: str):
    full = f"{__name__}.{name}"
    __import__(full)
    return sys.modules[full]


def __getattr__(name: str):
    if name in _FUNCTIONS:
        value = getattr(_submodule("api"), name)
        globals()[name] = value  # found directly from now on
        return value
    if name in _CALLABLE or name in _MODULES:  # binding the submodule here is the import system's
        return _submodule(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _CallableModule(_ModuleType):
    """A submodule of smolgraph that can be called: the call is the function of `smolgraph.api` with its name."""

    def __call__(self, *args, **kwargs):
        api = _submodule("api")
        return getattr(api, self.__name__.rpartition(".")[2])(*args, **kwargs)


class _Package(_ModuleType):
    """This package: it makes ``smolgraph.ingest``, ``.ask`` and ``.network`` callable as they are imported.

    The import system binds a submodule to its package with ``setattr``
    however it is imported (``import smolgraph.ask``, ``from .ask import
    …``, ``from smolgraph import ask``, ``importlib.import_module``), so
    whatever the order of imports the attribute is the module, and it can
    be called.
    """

    def __setattr__(self, name: str, value) -> None:
        if name in _CALLABLE and type(value) is _ModuleType and value.__name__ == f"{self.__name__}.{name}":
            value.__class__ = _CallableModule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
for _name in _CALLABLE:  # imported before this file ran: a reload
    _module = sys.modules.get(f"{__name__}.{_name}")
    if _module is not None and type(_module) is _ModuleType:
        _module.__class__ = _CallableModule
del _name, _module
