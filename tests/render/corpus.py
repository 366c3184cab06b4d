"""Realistic model answers, and fragments of Markdown that stress block boundaries."""

from __future__ import annotations

SORTING_ANSWER = """\
# Sorting a list in Python

Python gives you **two** ways to sort: `sorted()` returns a *new* list, while `list.sort()` \
sorts ~~a copy~~ in place. See [the docs](https://docs.python.org/3/howto/sorting.html).

## Quick comparison

| Function | Returns | Stable |
|:---------|:-------:|-------:|
| `sorted(xs)` | new list | yes |
| `xs.sort()` | `None` | yes |

### Steps

1. Decide whether you need the original order.
2. Pick a key function:
   - `key=len` for lengths
   - `key=str.lower` for case-insensitive order
     1. nested ordered
     2. second
3. Call it.

> **Note:** sorting is stable, so equal keys keep their order.
> A second line of the quote.

```python
def top_n(items: list[str], n: int = 3) -> list[str]:
    \"\"\"Return the n longest strings.\"\"\"
    return sorted(items, key=len, reverse=True)[:n]
```

That's all.
"""

CHINESE_ANSWER = """\
## 排序算法

排序是稳定的，相等的键保持原来的顺序。

- 第一项：**快速排序**
- 第二项：`归并排序`

| 算法 | 复杂度 |
|------|--------|
| 快速 | O(n log n) |

```js
// 中文注释
const xs = [3, 1, 2].sort((a, b) => a - b);
```
"""

LOOSE_LIST = """\
- first item

- second item, loose

  with a continuation paragraph

- third

After the list.
"""

OPEN_FENCE = """\
Here is the script:

```bash
#!/bin/sh
set -eu

for f in *.txt; do
    echo "$f"


done
"""

GROWING_TABLE = """\
| Option | Default | Effect |
|--------|--------:|--------|
| `timeout` | 30 | seconds before giving up |
| `retries` | 3 | attempts after a failure |
| `proxy` | none | where requests go |
"""

MIXED = """\
Setext heading
==============

Paragraph with a hard break\
and a soft
break. Raw <b>html</b> and <script>alert(1)</script> stay text.

* * *

    indented code
    block

1) one
2) two

5. five
6. six

> quote with a list:
> - a
> - b
>
> and more

Final line with an ![image](https://example.com/x.png) and a [link](javascript:alert(1)).
"""

CRLF = "Line one\r\nline two\r\n\r\n- a\r\n- b\r\n\r\n```\r\ncode\r\n```\r\n"

MATH_ANSWER = r"""The roots of $ax^2+bx+c=0$ are
$$x=\frac{-b\pm\sqrt{b^2-4ac}}{2a}$$
so with \(a = 1\) their sum is

\[ x_1 + x_2 = -b \]

$$
\begin{aligned}
  (a+b)^2 &= a^2 + 2ab + b^2
\end{aligned}
$$

It costs $5 and $10; `echo $HOME` prints a path; \$x\$ is two dollars.
"""

ANSWERS = [
    SORTING_ANSWER,
    CHINESE_ANSWER,
    LOOSE_LIST,
    OPEN_FENCE,
    GROWING_TABLE,
    MIXED,
    CRLF,
    MATH_ANSWER,
]

# Code whose colours depend on earlier lines: multi-line strings and comments, some crossing
# the edges of the runs in which a streaming fence settles.
PYTHON_CODE = '''\
import os


def handle(request, retries=3):
    """Answer one request.

    A docstring long enough to cross a run edge:
    it keeps going,
    and going.
    """
    query = f"""
        SELECT * FROM items
        WHERE name = '{request.name}'
    """
    for attempt in range(retries):  # retry a few times
        value = compute("x", attempt) * 2
        if value > 10:
            return value
    text = \'\'\'single-quoted
triple string
    with "quotes" inside\'\'\'
    return os.environ.get("HOME", text)


class Cache:
    """Caches."""

    def get(self, key: str) -> str | None:
        return self._data.get(key)
'''

JS_CODE = """\
/* A block comment
 * spanning several lines,
 * long enough to cross
 * the edge of a run
 * of lines.
 */
const greeting = `Hello,
${name}, a template literal
that spans lines`;

function retry(fn, times = 3) {
  // a line comment with 'quotes' and "quotes"
  for (let i = 0; i < times; i++) {
    try {
      return fn(i);
    } catch (error) {
      /* swallow */ console.log(error);
    }
  }
  const pattern = /ab+c/gi;
  return null; /* trailing
  comment */
}
"""

CODES = {"python": PYTHON_CODE, "js": JS_CODE}


def fenced(code: str, language: str) -> str:
    """An answer that is mostly one code block."""
    return f"Here is the code:\n\n```{language}\n{code}```\n\nThat is all.\n"


def long_fence(lines: int) -> str:
    """The start of an answer whose code block is still streaming, `lines` lines long."""
    body = "".join(f'    value_{i} = compute("x", {i}) * {i + 1}  # step\n' for i in range(lines))
    return f"Intro.\n\n```python\ndef handle():\n{body}"
