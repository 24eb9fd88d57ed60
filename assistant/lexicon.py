"""Words the assistant knows: synonyms and colloquial names, English terms, and what questions ask.

Synonyms map what people say to what documents print (接待费 → 公务接待费, 公车 → 公务用车, 总支出 → 支出合计).
The mapping is about budget vocabulary in general, never about one document's rows.
"""
from __future__ import annotations

import re

# colloquial or short form -> the document's term (applied when the longer term is not already present)
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("三公经费", "“三公”经费"), ("三公", "“三公”经费"),
    ("接待费", "公务接待费"), ("招待费", "公务接待费"), ("招待客人", "公务接待费"), ("接待客人", "公务接待费"), ("接待经费", "公务接待费"),
    ("买公务车的钱", "公务用车购置费"), ("买公务车", "公务用车购置费"), ("公务车运行维护费", "公务用车运行维护费"),
    ("公务车运行费", "公务用车运行维护费"), ("公务车运行", "公务用车运行维护费"), ("公务车购置费", "公务用车购置费"),
    ("公务车购置", "公务用车购置费"),
    ("公车运行", "公务用车运行维护费"), ("公车购置", "公务用车购置费"), ("公车", "公务用车购置及运行维护费"),
    ("车辆日常运行维护", "公务用车运行维护费"), ("车辆运行维护", "公务用车运行维护费"), ("车辆运行", "公务用车运行维护费"),
    ("买车的钱", "公务用车购置费"), ("买车的预算", "公务用车购置费预算"), ("买车预算", "公务用车购置费预算"),
    ("用车", "公务用车购置及运行维护费"),
    ("出国费", "因公出国（境）费"), ("出国经费", "因公出国（境）费"), ("出国", "因公出国（境）费"),
    ("公积金", "住房公积金"), ("养老保险", "机关事业单位基本养老保险缴费"),
    ("总支出", "支出合计"), ("全部支出", "支出合计"), ("全部收入", "收入合计"),
    ("总预算", "支出合计"), ("总共预算", "支出合计"), ("一共预算", "支出合计"), ("预算总共", "支出合计"),
    ("全部预算", "支出合计"), ("总盘子", "支出合计"), ("预算总额", "支出合计"), ("总收入", "收入合计"), ("收入总额", "收入合计"),
    ("运行经费", "机关运行经费"), ("行政经费", "行政经费"), ("人员经费", "人员经费"),
    ("工资", "工资福利支出"), ("办公经费", "办公费"), ("差旅", "差旅费"), ("会议", "会议费"), ("培训", "培训费"),
    ("服务类采购", "政府采购服务"), ("货物类采购", "政府采购货物"), ("工程类采购", "政府采购工程"),
    ("采购服务", "政府采购服务"), ("采购货物", "政府采购货物"), ("采购工程", "政府采购工程"),
    ("小微企业", "小型和微型企业"), ("新买", "购置"), ("新购", "购置"),
    ("项目经费", "项目支出"), ("基本经费", "基本支出"), ("医保", "医疗"),
)

ENGLISH: tuple[tuple[str, str], ...] = (
    # a count asked names what it counts: vehicles held, people received (not the 公务用车 money row)
    (r"how many (?:official|government) (?:vehicles|cars)", "多少辆公务用车"),
    (r"how many law[- ]enforcement(?: and duty)? (?:vehicles|cars)", "多少辆执法执勤用车"),
    (r"law[- ]enforcement(?: and duty)? (?:vehicles|cars)", "执法执勤用车"),
    (r"how many (?:[a-z-]+ )?(?:vehicles|cars)", "多少辆车"),
    (r"how many retired (?:staff|people|persons|employees|personnel|workers)", "多少退休人员"),
    (r"how many (?:[a-z-]+ ){0,2}(?:visitors|guests|people|persons)", "多少人"),
    (r"electricity(?: bills?| costs?| fees?)?", "电费"), (r"water(?: bills?| costs?| fees?)", "水费"),
    (r"official reception|reception", "公务接待费"), (r"three public|“?three[- ]public”?", "“三公”经费"),
    (r"vehicle purchase", "公务用车购置费"),
    (r"including (?:the )?(?:funds? |money )?(?:carried (?:over|forward)|brought forward)(?: from (?:last|the previous|the prior) year)?",
     "（含上年结转结余）"), (r"vehicle (?:operation|maintenance|running)", "公务用车运行维护费"),
    (r"official vehicles?|vehicles?|cars?", "公务用车购置及运行维护费"),
    (r"(?:official )?(?:trips?|travel|visits?) (?:abroad|overseas)|(?:overseas|outbound) (?:trips?|travel|visits?)|"
     r"overseas|abroad|outbound", "因公出国（境）费"), (r"project (?:expenditure|spending)s?", "项目支出"),
    (r"basic (?:expenditure|spending)s?", "基本支出"), (r"housing provident fund", "住房公积金"),
    (r"total (?:expenditure|spending|budget)", "支出合计"), (r"total (?:revenue|income)", "收入合计"),
    (r"(?:government )?procurement (?:of|for) services|(?:government )?service procurement", "政府采购服务"),
    (r"(?:government )?procurement (?:of|for) goods|(?:government )?goods procurement", "政府采购货物"),
    (r"(?:government )?procurement (?:of|for) (?:construction )?works|(?:government )?works procurement", "政府采购工程"),
    (r"government procurement|procurement", "政府采购"), (r"fixed[- ]assets?", "固定资产"),
    (r"operating (?:funds|expenses)|administrative (?:funds|expenses)", "机关运行经费"),
    (r"rent(?:al)?", "租赁费"), (r"training", "培训费"), (r"travel", "差旅费"), (r"meetings?|conferences?", "会议费"),
    (r"actual(?:ly)?(?: (?:on|in|at|the|employed|working)){0,3} (?:staff|headcount|employees)", "实有人员"),
    (r"staff|personnel", "人员经费"), (r"departments|divisions|offices|internal (?:department|division|office)", "内设科室"),
    (r"general public budget(?: (?:funding|funds|appropriations?|allocations?))?", "一般公共预算"),
    (r"fiscal[- ](?:appropriations?|allocations?|funding|funds?)(?: money| funds)?", "财政拨款"),
    (r"government(?:-managed)? funds? budget", "政府性基金预算"), (r"social security", "社会保障和就业支出"), (r"health", "卫生健康支出"), (r"general public services", "一般公共服务支出"),
    (r"why|reason", "为什么"), (r"what (?:is|are|does) (?:the )?(?:meaning|definition)|define|definition|mean", "是什么意思"),
    (r"combined|altogether|added (?:up|together)|put together|in total", "一共"),
    (r"last year|previous year|prior year", "上年"), (r"by (?:what|how much) (?:percentage|percent)|(?:percentage|percent) (?:increase|rise|growth|decrease|drop|decline|fall|change)|growth rate",
     "增长率"), (r"share|proportion|percentage|percent", "占比例"),
    (r"how many projects", "多少个项目"),
    (r"how many", "多少个"), (r"largest|biggest|highest|most", "最大"),
    (r"smallest|lowest|least", "最小"), (r"in yuan", "多少元"), (r"increase|change|grow", "增加多少"),
    (r"(?<!project )(?<!budget )list|which", "有哪些"),       # ("the project list allocates…": the table, not a list asked)
    (r"performance (?:goal|target|objective)s?", "绩效目标"), (r"projects?", "项目"),
    # words a name is made of, after the names above: "procurement of services" (服务), "total … budget"
    (r"services?", "服务"), (r"goods", "货物"), (r"(?:construction )?works", "工程"),
    (r"budget(?:ed|s)?", "预算"), (r"revenues?|incomes?", "收入合计"),
    (r"total\s+([\u4e00-\u9fff]+)\s+预算", r"\1预算总额"),        # "total 政府采购 预算" → 政府采购预算总额
    (r"total", "总额"),
)


# an English name of a body ("the Xi'an Municipal Health Commission's"): who publishes, not what is asked ("health"
# there is no 卫生健康支出); a Chinese name in brackets after it stays
_EN_BODY = re.compile(
    r"\b(?:the\s+)?(?!(?i:what|how|which|why|when|who|whose|where|is|are|was|were|does|did|do|can|could|please|tell|give|"
    r"show|list|in|for|by|of|compared)\b)[A-Z][\w'’.-]*\s+"       # (a question's first word is not a name's: "What share of")
    r"(?:(?!(?!People)[A-Za-z][\w.-]*['’]s\s)(?!(?:for|on|in|to|the|by|with|from|at|is|are|was|were|does|did|do|has|have|how|what|much|many|budget|"
    r"budgets|spend|spent|plan|its|their|share|proportion|percentage|percent|portion|part|amount|total|sum)\b)[A-Za-z][\w'’.-]*\s+|(?:and|&|of)\s+){0,7}"
    r"(?i:commission|bureau|office|department|administration|committee|court|procuratorate|council|government)\b"
    r"(?:\s+of\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)?(?:['’]s\b)?(?:\s*\(own level\))?")


# the same written in lower case after "the" ("the audit bureau"), when no word of it is a budget term
_EN_BODY_LOWER = re.compile(r"\bthe\s+((?:[a-z][\w'’-]*\s+){1,3})(?:bureau|commission|office|department|"
                            r"administration|committee|court|procuratorate)(?:['’]s)?\b")


def without_bodies(text: str) -> str:
    """`text` without the English names of bodies in it (`_EN_BODY`, `_EN_BODY_LOWER`)."""
    def lower(m: re.Match) -> str:
        words = m.group(1)
        if any(re.search(rf"\b(?:{pat})\b", words, re.I) for pat, _ in ENGLISH) or \
                re.search(r"\b(?:for|on|in|of|to|by|with|from|at|its|their|this|that|own|whole|entire)\b", words):
            return m.group(0)     # ("the procurement office", "the whole department": words of the question)
        return " "
    return _EN_BODY_LOWER.sub(lower, _EN_BODY.sub(" ", text))


# an English phrase glossed in Chinese right after it ("rent subsidies (提租补贴)", "\"other income\" (其他收入)"):
# its words back to the first function word are the gloss's translation, and give way to it
_GLOSSED = re.compile(r"((?:[A-Za-z][\w'’-]*[\"“”'’]?\s+|[\"“”'‘’]+){1,6})(?=[（(]\s*[\u4e00-\u9fff“])")
_NOT_OF_TERM = frozenset("for on in of the a an to by with from at is are was were does did do has have how what much many "
                         "its their spend spent budget budgeted expect expected receive plan planned and or".split())


def _gloss_only(m: re.Match) -> str:
    words = re.findall(r"\S+", m.group(1))
    keep = len(words)
    while keep and re.sub(r"[^\w]", "", words[keep - 1]).lower() not in _NOT_OF_TERM and len(words) - keep < 4:
        keep -= 1
    return " ".join(words[:keep]) + " "


def one_way(text: str) -> str:
    """`text` with a word documents write two ways written one way (财政拨款 → 财拨: "委托业务费财政拨款预算" asked,
    "委托业务费涉及财拨资金9240.60万元" stated), for matching only."""
    return text.replace("财政拨款", "财拨")


# ("how many times A is B" says neither which is divided: it stays unread)
_TIMES = ((re.compile(r"\bhow many times (?:is|are|was|were) ([^?,]+?) (?:(?:larger |bigger |greater |higher |more )?than|"
                      r"as (?:much|large|big|high) as|that of) ([^?,]+?)(\?|$)", re.I), r"\1 是的几倍 \2\3"),
          (re.compile(r"\bhow many times (?!(?:is|are|was|were)\b)([^?,]+?) (?:is|are|was|were) (?:that of|"
                      r"as (?:much|large|big|high) as|(?:larger |bigger |greater |higher |more )than) ([^?,]+?)(\?|$)",
                      re.I), r"\1 是的几倍 \2\3"),    # "how many times A is that of B": A ÷ B
          (re.compile(r"\b(?:is|are|was|were) how many times(?: (?:as (?:much|large|big|high) as|that of|the size of|"
                      r"greater than|larger than|bigger than))?\b", re.I), " 是的几倍 "))       # "A is how many times B"


_EN_GLOSS_AFTER = re.compile(r"(?<=[\u4e00-\u9fff”\"])\s*[（(]\s*(?![^)）]*\blevel\b)[A-Za-z][^（）()\u4e00-\u9fff]*[)）]")


def apply_english(question: str) -> str:
    """Replace English budget terms with the Chinese ones documents print (for matching only); an English name
    of a body is dropped first."""
    q = without_bodies(question)
    q = _EN_GLOSS_AFTER.sub(" ", q)      # "离休费 and 退休费 (pensions for retired staff)": the Chinese is the term
    for rx, to in _TIMES:       # "how many times is A than B", "A is how many times B": A ÷ B, as "A是B的几倍"
        q = rx.sub(to, q)       # (before a gloss takes the words next to it)
    q = _GLOSSED.sub(_gloss_only, q).lower()
    if not re.search(r"\b(?:visitors?|guests?|people|persons?|delegations?|batches|times|how many)\b", q):
        q = re.sub(r"\b(?:receives?|received|receiving)\b", " 收入 ", q)      # money received: income
    for pat, zh in ENGLISH:     # (a term glossed in Chinese right after it, "internal departments (内设机构)", is the gloss)
        q = re.sub(rf"\b(?:{pat})\b(?!\s*[（(]\s*[\u4e00-\u9fff“])", f" {zh} ", q)
    return q


# an amount per thing asked, the counter in a group ("平均每辆", "每台平均", "人均", "per vehicle"): averages.py
AVERAGE = (r"平均(?:下来)?(?:每|一)(辆|台|套|人|名)|每(辆|台|套|人|名)车?(?:平均|大约|大概)|(人)均|"
           r"(?i:average|per)\s+(?:\w+\s+)?(vehicle|car|unit of equipment|person|head)")

# intent cues (checked in order in understand.py)
CUES = {
    "why": r"为什么|为何|原因|为啥|怎么会|咋|怎么(?:从|由)[^，。？?]{1,16}?(?:变成|变为|变到|增加到|减少到|降到|涨到)",
    "definition": r"什么是|是什么意思|指什么|具体指哪些|指的是哪些|指哪些|含义|定义|名词解释|是指|什么叫|是啥意思|啥是|是什么$|指的是什么|是啥$|(?i:^what(?:is|are)(?=[\u4e00-\u9fff][^a-z]*$))",
    "previous": r"(?<![比较])(?:去年|上年(?!度?(?:结转|结余))|上一年|前一年|上年度(?!结转|结余))",
    "change": r"比(?:去年|上年|上一年|前一年)(?:是)?(?:多|少|增|减|高|低|涨|降|变)|(?:和|与|跟|同)(?:去年|上年|上一年)(?:相)?比|(?:增长|下降|增加|减少|上升|降低)了?(?:百分之|多少|几)|减少了?多少|增长了?多少|下降了?多少|(?:压减|压缩|缩减|削减|核减|调减|调增)了?(?:多少|几)|变化|增减|增幅|降幅|增长率|涨了|降了|多了多少|少了多少",
    "share": r"占.{0,12}(?:比例|比重|百分比|百分之|多少|几成|%)|占比|比例|比重|(?:相当于.{0,16}?的)?百分之",
    "difference": r"相差|差多少|差额|多多少|少多少|高多少|低多少|差距|(?<!占)比(?!例|重|上年|去年)[^，。]{1,20}(?:多|少|高|低)",
    "sum": r"一共|总共|合计多少|合计是多少|合计为多少|总计是多少|加起来|总和|共计|累计|合起来|一起多少|加上|"
           r"(?<![增追附参叠外更施添])加(?![班快强大油入工装盟以速剧息价重密热固宽长])(?=[^，。？?]{1,14}?(?:是多少|等于|多少))",
    # (not "多少项目支出" / "多少人员经费": money asked about a 项目支出 or a 人员经费)
    "count": r"多少个|(?<!哪)几个|多少项(?!目(?:支出|经费|资金|预算))|(?<!哪)几项(?!目(?:支出|经费|资金|预算))|多少家|(?<!哪)几家|"
             r"数量|个数|几辆|多少辆|几台|多少台|几人(?!员)|多少人(?!员(?:经费|支出))|人数|多少平方米|面积|多少名|几名",
    "max": r"最大|最多|最高|最贵|哪个.{0,6}多",
    "min": r"最小|最少|最低|哪个.{0,6}少",
    "list": r"有哪些|哪些|包括什么|包含什么|包括哪|哪几|分别是|都有什么|列出|名单",
    "share_gap": r"百分点",
    "ratio": r"几倍|多少倍|倍数|是.{1,20}的.{0,3}倍",
    "goal": r"绩效目标|目标是什么|要达到什么|项目内容|做什么用|用来做什么|用来干什么|拿来做什么|拿来干什么|拿来干嘛|用来干嘛|是做什么的|是干什么的|干什么用|有什么用|用途是|用于什么|用在什么|用于哪|用在哪|花在哪|花在什么",
    "when": r"什么时候|何时|截至什么|截止到?什么|哪一?天|什么日期|哪年哪月",
    "convert": r"多少元|几元|合多少元|多少亿元|多少万元",
    "average": AVERAGE,
}

# a piece of a name made only of words every budget uses says nothing of which name ("事业单位")
GENERIC_PIECE = re.compile(r"^(?:机关|行政|事业|单位|部门|本级|其他|支出|收入|经费|费用|项目|资金|预算|合计|财政拨款|一般公共|政府性基金)+$")
NARROWING = ("项目支出", "基本支出", "政府性基金", "一般公共预算", "国有资本经营", "财政拨款")
