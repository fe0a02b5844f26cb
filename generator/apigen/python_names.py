"""Python's names that generated code must not take, fixed for every supported interpreter.

A build must write the same bytes whichever Python runs apigen: a team on 3.11 and 3.13 would
otherwise fight over renamed fields in `generated/`. The interpreter's own lists differ: 3.12
made `type` a soft keyword (so `keyword.softkwlist` renamed every `type` property to `type_`
on 3.12+ only), 3.13 added builtins (`PythonFinalizationError`) and dropped standard-library
modules (`cgi`, `telnetlib`: a package of that name would still shadow them on 3.11). So the
lists below are the union over CPython 3.11, 3.12 and 3.13, written out;
`tests/render/test_python_names.py` fails on an interpreter that has a name they lack.
"""

from __future__ import annotations

__all__ = ["BUILTINS", "KEYWORDS", "SOFT_KEYWORDS", "STDLIB_MODULES"]


def _names(text: str) -> frozenset[str]:
    """A written-out list: names separated by whitespace."""
    return frozenset(text.split())


#: `keyword.kwlist` (the same on 3.11-3.13).
KEYWORDS: frozenset[str] = _names(
    """
False None True and as assert async await break class continue def del elif else except
finally for from global if import in is lambda nonlocal not or pass raise return try while
with yield
"""
)

#: Soft keywords a model field does not take: 3.11's `keyword.softkwlist`. (`_` would be a
#: pydantic private attribute; `type`, a soft keyword since 3.12, is a valid field name and
#: stays one, as generated clients have always spelled it.)
SOFT_KEYWORDS: frozenset[str] = frozenset({"_", "case", "match"})

#: `dir(builtins)`, 3.11-3.13.
BUILTINS: frozenset[str] = _names(
    """
ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup
BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError
ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError
DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception
ExceptionGroup False FileExistsError FileNotFoundError FloatingPointError FutureWarning
GeneratorExit IOError ImportError ImportWarning IndentationError IndexError InterruptedError
IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError
NameError None NotADirectoryError NotImplemented NotImplementedError OSError OverflowError
PendingDeprecationWarning PermissionError ProcessLookupError PythonFinalizationError
RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration
StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True
TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError
UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError
_IncompleteInputError __build_class__ __debug__ __doc__ __import__ __loader__ __name__
__package__ __spec__ abs aiter all anext any ascii bin bool breakpoint bytearray bytes
callable chr classmethod compile complex copyright credits delattr dict dir divmod enumerate
eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input
int isinstance issubclass iter len license list locals map max memoryview min next object
oct open ord pow print property quit range repr reversed round set setattr slice sorted
staticmethod str sum super tuple type vars zip
"""
)

#: `sys.stdlib_module_names`, 3.11-3.13, and `test`: the regression-test package, left out of
#: that list, is on the standard library's path, ahead of site-packages (a client named `test`
#: installed and was never imported: helper 176).
STDLIB_MODULES: frozenset[str] = _names(
    """
__future__ _abc _aix_support _android_support _ast _asyncio _bisect _blake2 _bootsubprocess
_bz2 _codecs _codecs_cn _codecs_hk _codecs_iso2022 _codecs_jp _codecs_kr _codecs_tw
_collections _collections_abc _colorize _compat_pickle _compression _contextvars _crypt _csv
_ctypes _curses _curses_panel _datetime _dbm _decimal _elementtree _frozen_importlib
_frozen_importlib_external _functools _gdbm _hashlib _heapq _imp _interpchannels
_interpqueues _interpreters _io _ios_support _json _locale _lsprof _lzma _markupbase _md5
_msi _multibytecodec _multiprocessing _opcode _opcode_metadata _operator _osx_support
_overlapped _pickle _posixshmem _posixsubprocess _py_abc _pydatetime _pydecimal _pyio
_pylong _pyrepl _queue _random _scproxy _sha1 _sha2 _sha256 _sha3 _sha512 _signal
_sitebuiltins _socket _sqlite3 _sre _ssl _stat _statistics _string _strptime _struct
_suggestions _symtable _sysconfig _thread _threading_local _tkinter _tokenize _tracemalloc
_typing _uuid _warnings _weakref _weakrefset _winapi _wmi _zoneinfo abc aifc antigravity
argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect
builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections
colorsys compileall concurrent configparser contextlib contextvars copy copyreg crypt csv
ctypes curses dataclasses datetime dbm decimal difflib dis distutils doctest email encodings
ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools
gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac html http
idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword lib2to3
linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder
msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator
optparse os ossaudiodev pathlib pdb pickle pickletools pipes pkgutil platform plistlib
poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data
pyexpat queue quopri random re readline reprlib resource rlcompleter runpy sched secrets
select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver
spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep
struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile
termios test textwrap this threading time timeit tkinter token tokenize tomllib trace traceback
tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid venv
warnings wave weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile
zipimport zlib zoneinfo
"""
)
