"""Robustness: odd and random questions, with follow-up history, against every document in a store.

    BUDGETQA_STORE=DIR .venv/bin/python bench/fuzz_ask.py [N_RANDOM]

Prints how many questions were asked and how many raised; the first few errors with their question.
"""
from __future__ import annotations

import json
import random
import sys
import traceback

from assistant.api import Assistant
from index.store import Store, default_store_dir

ODD = ["", "？？？", "123456", "2024", "多少", "的的的的", "<script>alert(1)</script>公务接待费", "'; DROP TABLE facts;--",
       "a" * 500, "三公" * 200, "公务接待费和会议费和培训费和差旅费一共多少", "比比比多多少", "占占占比例", "为什么", "什么是",
       "有哪些", "哪个最大", "去年呢", "那它呢", "What?", "how much", "0.00万元是什么", "表1", "表99是什么", "第一部分",
       "合计", "小计是多少", "万元", "%", "一共多少个", "平均", "2023年和2024年相比", "比2024年增加多少",
       "公务接待费比会议费多多少", "公务接待费占三公经费的比例是多少元", "\u3000\u3000", "😀 预算", "十万元以上的有几个"]
PIECES = ["公务接待费", "三公经费", "项目支出", "基本支出", "为什么", "是多少", "占", "比例", "去年", "一共", "多少个",
          "哪个最大", "有哪些", "什么是", "元", "万元", "2023年", "的", "和", "比", "多", "超过", "十万元"]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    random.seed(7)
    questions = ODD + ["".join(random.choice(PIECES) for _ in range(random.randint(1, 6))) for _ in range(n)]
    store = Store(default_store_dir())
    bot = Assistant(store, use_env_llm=False)
    asked = errors = 0
    for doc in (d.id for d in store.documents()):
        history = []
        for q in questions:
            asked += 1
            try:
                a = bot.ask(q, doc=doc, history=history[-2:])
                json.dumps(a.to_dict(), ensure_ascii=False)
                history.append(a)
            except Exception:       # noqa: BLE001 - counting every failure is the point
                errors += 1
                if errors <= 5:
                    print(f"{doc} {q[:40]!r}\n{traceback.format_exc(limit=3)}")
    print(f"questions={asked} errors={errors}")


if __name__ == "__main__":
    main()
