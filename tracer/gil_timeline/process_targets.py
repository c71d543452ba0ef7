"""What a multiprocessing child runs, for its process chunk: the Process target (qualified name,
file, first line) and, for Pool and ProcessPoolExecutor workers, the functions of the tasks they
ran. The code lens of a `Process(target=f)` or `pool.map(f, ...)` matches processes by these."""
import functools

# The worker functions the pools start their processes with: (module, name) -> how the worker
# reads a task from its first argument, a queue.
_POOL_WORKERS = {
    ("multiprocessing.pool", "worker"): "pool",
    ("concurrent.futures.process", "_process_worker"): "executor",
}
_POOL_STARS = ("mapstar", "starmapstar")  # Pool.map/starmap wrap the user's function in these


def describe(fn):
    """{"function", "file", "line"} of a Python function (through partials and bound methods), or None."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if code is None or not isinstance(name, str):
        return None
    return {"function": name, "file": code.co_filename, "line": code.co_firstlineno}


def process_target(process, base_run):
    """The function a Process runs: its target, else the `run` of a subclass that overrides it."""
    if process._target is not None:
        return describe(process._target)
    run = type(process).run
    return describe(run) if run is not base_run else None


def _task_function(kind, task):
    if kind == "pool":
        # (job, i, func, args, kwds); Pool.map sends mapstar with args ((func, chunk),)
        func = task[2]
        if getattr(func, "__name__", None) in _POOL_STARS and getattr(func, "__module__", None) == "multiprocessing.pool":
            func = task[3][0][0]
        return func
    func = task.fn  # a _CallItem; ProcessPoolExecutor.map sends partial(_process_chunk, fn)
    if isinstance(func, functools.partial) and getattr(func.func, "__name__", None) == "_process_chunk":
        func = func.args[0]
    return func


def watch_pool_tasks(process, on_task):
    """When `process` is a pool worker, calls on_task(description) for each task function it reads
    from its task queue (one check per task, on the worker's own queue object)."""
    target = process._target
    kind = _POOL_WORKERS.get((getattr(target, "__module__", None), getattr(target, "__name__", None)))
    if kind is None or not process._args:
        return
    queue = process._args[0]
    get = queue.get

    def get_task(*args, **kwargs):
        task = get(*args, **kwargs)
        if task is not None:
            try:
                description = describe(_task_function(kind, task))
            except Exception:  # an unexpected task shape of some Python version: no figure, no harm
                description = None
            if description is not None:
                on_task(description)
        return task

    try:
        queue.get = get_task
    except AttributeError:
        pass
