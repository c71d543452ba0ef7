"""Child processes: the parent records PROCESS_SPAWN; fork children keep recording (their buffer
was reset at fork) and leave through os._exit, which is patched to write their end chunk. Every
other child is a fresh interpreter started with an environment variable (the child's settings and
its role) and a sitecustomize on PYTHONPATH (_child/) that starts recording before its code runs:

  spawn       multiprocessing's spawn children (`--multiprocessing-fork` on their command line)
  forkserver  multiprocessing's fork server: not recorded itself (a helper), but every child it
              forks records from the fork on
  subprocess  a Python program started through subprocess.Popen (run, call, check_output...)

multiprocessing's resource tracker gets no variable: a helper, never shown."""
import os
import re
import sys
from time import perf_counter_ns  # before any patching

from . import records as R
from .jsontext import dumps
from .imports import when_imported
from .process_targets import process_target, watch_pool_tasks

ENV = "GIL_TIMELINE_CHILD"
CHILD_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_child")
_PYTHON_NAME = re.compile(r"^python(\d+(\.\d+)*)?$")


def install(session, exit_state, settings, child):
    """child: the ChildInfo of start.py, told in a multiprocessing child what it runs."""
    # Absolute: a subprocess may run in another folder.
    base_settings = dict(settings, out=os.path.abspath(settings["out"]))

    def child_environment(environ, role):
        """The variables a Python child of `role` starts with, from the environment it would get."""
        spec = dict(base_settings, pythonpath=environ.get("PYTHONPATH"), role=role)
        path = os.pathsep.join(p for p in (CHILD_DIR, environ.get("PYTHONPATH")) if p)
        return {ENV: dumps(spec), "PYTHONPATH": path}

    def spawned(pid, launch_ns):
        if pid and not session.rec.closed:
            session.emit(R.PROCESS_SPAWN, 0, session.current(), pid, launch_ns)

    def patch_process(process):
        BaseProcess = process.BaseProcess
        orig_start = BaseProcess.start
        orig_bootstrap = BaseProcess._bootstrap
        orig_run = BaseProcess.run

        def start(self):
            launch_ns = perf_counter_ns()
            orig_start(self)
            spawned(self.pid, launch_ns)

        def _bootstrap(self, *args, **kwargs):
            # A spawn or forkserver child was marked so when it started. The Process object knows
            # the parent that started it (a forkserver child's OS parent is the fork server).
            child.started("fork", process_target(self, orig_run), getattr(self, "_parent_pid", None))
            watch_pool_tasks(self, child.ran_task)
            exit_state.os_exit_how = "fork-child-exit"  # a fork child leaves through os._exit
            code = orig_bootstrap(self, *args, **kwargs)
            exit_state.exit_code = code  # a spawn child returns it to sys.exit()
            return code

        BaseProcess.start = start
        BaseProcess._bootstrap = _bootstrap

    def patch_util(util):
        orig_spawnv_passfds = util.spawnv_passfds

        def spawnv_passfds(path, args, passfds):
            role = _multiprocessing_role(args)
            if role is None:
                return orig_spawnv_passfds(path, args, passfds)
            # Only for the duration of the launch: other subprocesses see the usual environment.
            saved = {k: os.environ.get(k) for k in (ENV, "PYTHONPATH")}
            os.environ.update(child_environment(os.environ, role))
            try:
                return orig_spawnv_passfds(path, args, passfds)
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value

        util.spawnv_passfds = spawnv_passfds

    def patch_subprocess(subprocess):
        Popen = subprocess.Popen
        orig_init = Popen.__init__

        def __init__(self, args, *rest, **kwargs):
            python = not rest and not kwargs.get("shell") and _runs_python(kwargs.get("executable") or args)
            if python:
                env = kwargs.get("env")
                env = dict(os.environ if env is None else env)
                env.update(child_environment(env, "subprocess"))
                kwargs["env"] = env
            launch_ns = perf_counter_ns()
            orig_init(self, args, *rest, **kwargs)
            if python:
                spawned(self.pid, launch_ns)

        Popen.__init__ = __init__

    when_imported("multiprocessing.process", patch_process)
    when_imported("multiprocessing.util", patch_util)
    when_imported("subprocess", patch_subprocess)


def _multiprocessing_role(args):
    """What a process multiprocessing launches is: a spawn child, the fork server, or a helper (None)."""
    if "--multiprocessing-fork" in args:
        return "spawn"
    if any("multiprocessing.forkserver" in str(a) for a in args):
        return "forkserver"
    return None  # the resource tracker


def _runs_python(program):
    """Whether a Popen argument list (or program) starts a Python interpreter: this one, or one named
    python, python3, python3.12... Anything else runs with the environment it would have had."""
    if isinstance(program, (list, tuple)):
        program = program[0] if program else None
    try:
        program = os.fsdecode(os.fspath(program))
    except TypeError:
        return False
    if _PYTHON_NAME.match(os.path.basename(program)):
        return True
    return bool(sys.executable) and os.path.realpath(program) == os.path.realpath(sys.executable)
