"""multiprocessing: the parent records PROCESS_SPAWN; fork children keep recording (their
buffer was reset at fork) and leave through os._exit, which is patched to write their end
chunk; spawn children are started with an environment variable and a sitecustomize on
PYTHONPATH (_child/) that starts recording in them before the program's code runs."""
import os

from . import records as R
from .jsontext import dumps
from .imports import when_imported
from .process_targets import process_target, watch_pool_tasks

ENV = "GIL_TIMELINE_CHILD"
CHILD_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_child")


def install(session, exit_state, settings, child):
    """child: the ChildInfo of start.py, told in a multiprocessing child what it runs."""

    def patch_process(process):
        BaseProcess = process.BaseProcess
        orig_start = BaseProcess.start
        orig_bootstrap = BaseProcess._bootstrap
        orig_run = BaseProcess.run

        def start(self):
            orig_start(self)
            if self.pid and not session.rec.closed:
                session.emit(R.PROCESS_SPAWN, 0, session.current(), self.pid, 0)

        def _bootstrap(self, *args, **kwargs):
            # A spawn child was marked "spawn" when it started.
            child.started("fork", process_target(self, orig_run))
            watch_pool_tasks(self, child.ran_task)
            exit_state.os_exit_how = "fork-child-exit"  # a fork child leaves through os._exit
            code = orig_bootstrap(self, *args, **kwargs)
            exit_state.exit_code = code  # a spawn child returns it to sys.exit()
            return code

        BaseProcess.start = start
        BaseProcess._bootstrap = _bootstrap

    def patch_util(util):
        orig_spawnv_passfds = util.spawnv_passfds
        child_settings = dict(settings, pythonpath=os.environ.get("PYTHONPATH"))

        def spawnv_passfds(path, args, passfds):
            # Only for the duration of the launch: other subprocesses see the usual environment.
            saved = {k: os.environ.get(k) for k in (ENV, "PYTHONPATH")}
            os.environ[ENV] = dumps(child_settings)
            os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (CHILD_DIR, saved["PYTHONPATH"]) if p)
            try:
                return orig_spawnv_passfds(path, args, passfds)
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value

        util.spawnv_passfds = spawnv_passfds

    when_imported("multiprocessing.process", patch_process)
    when_imported("multiprocessing.util", patch_util)
