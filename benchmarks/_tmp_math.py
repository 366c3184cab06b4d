import sys
from benchmarks.bench_streaming import run_math
from benchmarks.common import report
quick = "--quick" in sys.argv
report("math", run_math(quick, int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else None), None)
