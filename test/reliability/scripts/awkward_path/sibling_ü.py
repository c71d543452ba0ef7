# The sibling module main.py imports (found through sys.path[0], the script's folder).
def greeting(who):
    return "hello from the sibling, %s: ü 日本 \"quoted\" 'single'" % who
