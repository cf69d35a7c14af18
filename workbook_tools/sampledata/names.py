"""Word lists for realistic Chinese names: people, company 字号, industry words, and
the free-text phrases staff type. Each character used in an e-mail or web address
carries its pinyin.

Nothing here duplicates the schema: choice values (industries, credit, sources …)
are read from the Schema object; INDUSTRY_WORDS only *decorates* whatever industry
the schema offers and falls back to GENERIC_WORDS for industries it does not know.
"""

from __future__ import annotations

import random


def _table(text: str) -> dict[str, str]:
    """'王wang 李li' → {'王': 'wang', '李': 'li'}."""
    return {item[0]: item[1:] for item in text.split()}


# Common surnames, most frequent first (weights fall off with the rank).
SURNAMES = _table(
    "王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 马ma 朱zhu 胡hu "
    "郭guo 何he 高gao 林lin 罗luo 郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 冯feng 邓deng 曹cao "
    "彭peng 曾zeng 肖xiao 田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai 余yu 杜du 叶ye 程cheng 苏su "
    "魏wei 吕lv 丁ding 任ren 沈shen 姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan 陆lu 汪wang 范fan 金jin "
    "石shi 廖liao 贾jia 夏xia 韦wei 方fang 白bai 邹zou 孟meng 熊xiong 秦qin 邱qiu 江jiang 尹yin 薛xue"
)
MALE_CHARS = _table(
    "伟wei 强qiang 磊lei 军jun 洋yang 勇yong 杰jie 涛tao 明ming 超chao 刚gang 建jian 志zhi 鹏peng "
    "宇yu 浩hao 俊jun 峰feng 海hai 斌bin 波bo 辉hui 飞fei 国guo 成cheng 永yong 德de 博bo 凯kai "
    "鑫xin 亮liang 健jian 瑞rui 天tian 昊hao 东dong 林lin 平ping 文wen 华hua 立li 晨chen 宁ning"
)
FEMALE_CHARS = _table(
    "芳fang 娜na 敏min 静jing 丽li 艳yan 娟juan 秀xiu 霞xia 桂gui 英ying 玲ling 红hong 欣xin 婷ting "
    "雪xue 慧hui 佳jia 丹dan 萍ping 琳lin 颖ying 春chun 秋qiu 梅mei 兰lan 倩qian 蕾lei 诗shi 雨yu "
    "思si 嘉jia 晓xiao 云yun 文wen 华hua 平ping 宁ning 晨chen 月yue"
)
# Characters of company 字号 (brand names): two distinct ones form a brand.
BRAND_CHARS = _table(
    "恒heng 泰tai 华hua 盛sheng 鑫xin 达da 宏hong 远yuan 金jin 鼎ding 瑞rui 丰feng 创chuang 新xin "
    "力li 博bo 信xin 通tong 润run 安an 康kang 和he 嘉jia 汇hui 隆long 兴xing 永yong 佳jia 联lian "
    "东dong 方fang 德de 广guang 宇yu 天tian 晨chen 星xing 海hai 峰feng 中zhong 豪hao 正zheng 元yuan "
    "诚cheng 卓zhuo 越yue 立li 航hang 辰chen 明ming 启qi 荣rong 昌chang 腾teng 飞fei 凯kai 美mei "
    "高gao 科ke 百bai 合he 欣xin 悦yue 久jiu 旭xu 万wan 森sen 银yin 光guang 亿yi 祥xiang 富fu "
    "利li 顺shun 益yi 宝bao 成cheng 弘hong 骏jun 翔xiang 泽ze 锦jin 裕yu 承cheng 晟sheng 源yuan "
    "聚ju 茂mao 致zhi 捷jie 威wei 冠guan 展zhan 思si 尚shang 维wei 赛sai 优you"
)

# Industry words by the schema's canonical industry value; the pinyin initials make the domain.
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "制造业": ("精密机械", "机械制造", "电子科技", "电气", "汽车零部件", "塑胶制品", "五金制品", "纺织",
             "服饰", "食品", "包装材料", "新材料", "模具", "光电科技", "化工", "医疗器械", "家具", "印刷"),
    "批发和零售业": ("贸易", "商贸", "进出口", "供应链管理", "百货", "医药连锁", "建材", "电器"),
    "信息传输、软件和信息技术服务业": ("软件", "信息技术", "网络科技", "数据科技", "智能科技", "通信技术"),
    "建筑业": ("建设工程", "建筑安装", "装饰工程", "市政工程", "钢结构工程"),
    "交通运输、仓储和邮政业": ("物流", "运输", "仓储服务", "货运代理", "快递"),
    "住宿和餐饮业": ("餐饮管理", "酒店管理", "餐饮"),
    "金融业": ("融资租赁", "融资担保", "保险代理"),
    "房地产业": ("房地产开发", "置业", "物业管理"),
    "租赁和商务服务业": ("企业管理咨询", "广告", "会展服务", "人力资源", "设备租赁"),
    "科学研究和技术服务业": ("检测技术", "工程设计", "环保科技", "生物科技"),
    "电力、热力、燃气及水生产和供应业": ("能源", "燃气", "新能源", "供水"),
    "农、林、牧、渔业": ("农业发展", "生态农业", "水产", "农牧"),
    "采矿业": ("矿业", "矿产开发"),
    "水利、环境和公共设施管理业": ("环境工程", "园林绿化", "水务"),
    "居民服务、修理和其他服务业": ("家政服务", "汽车维修", "保洁服务"),
    "教育": ("教育科技", "教育咨询"),
    "卫生和社会工作": ("健康管理", "医疗管理"),
    "文化、体育和娱乐业": ("文化传媒", "影视文化", "体育发展", "文化传播"),
}
GENERIC_WORDS = ("实业", "科技", "发展", "商务")
# How common each industry is among customers (schema values not listed: weight 1).
INDUSTRY_WEIGHTS = {
    "制造业": 30, "批发和零售业": 20, "信息传输、软件和信息技术服务业": 8, "建筑业": 6,
    "交通运输、仓储和邮政业": 5, "租赁和商务服务业": 5, "科学研究和技术服务业": 4, "住宿和餐饮业": 3,
    "房地产业": 3, "金融业": 2, "公共管理、社会保障和社会组织": 0,
}
LEGAL_FORMS = (("有限公司", 80), ("股份有限公司", 12), ("有限责任公司", 8))

TITLES = ("总经理", "副总经理", "采购经理", "采购主管", "采购专员", "财务经理", "董事长", "办公室主任",
          "技术总监", "行政经理", "销售经理", "项目经理")
BANKS = ("中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行", "招商银行", "浦发银行",
         "兴业银行", "中信银行")
MAIL_HOSTS = ("163.com", "126.com", "qq.com", "sina.com", "139.com")
REMARKS = ("老客户，回款及时", "需开具增值税专用发票", "年底有大单意向", "联系人已更换，请更新", "只接受电话联系",
           "样品已寄出", "与总部统一结算", "节假日不安排拜访")
VISIT_CONTENT = ("介绍新产品并提供报价", "回访产品使用情况", "催收本季度货款", "洽谈年度框架合同", "处理售后问题",
                 "节前礼品拜访", "了解明年采购计划", "沟通价格调整", "陪同技术人员现场调试", "送样品并讲解参数")
VISIT_RESULTS = ("客户有采购意向，下周报价", "已签订合同", "暂无需求，保持联系", "同意试用样品", "货款已承诺月底前支付",
                 "需进一步技术交流", "客户满意，继续合作", "对价格有异议，待领导审批", "已解决售后问题")


_SURNAME_LIST = tuple(SURNAMES)
_GIVEN = {False: tuple(MALE_CHARS), True: tuple(FEMALE_CHARS)}
_BRAND_LIST = tuple(BRAND_CHARS)
_FORMS = tuple(f for f, _ in LEGAL_FORMS)
_FORM_CUM = tuple(sum(w for _, w in LEGAL_FORMS[: i + 1]) for i in range(len(LEGAL_FORMS)))


def person_name(rng: random.Random, female: bool) -> tuple[str, str]:
    """(汉字 name, pinyin) with a surname weighted by rank and one or two given characters."""
    surname = _SURNAME_LIST[min(int(rng.expovariate(1 / 12)), len(_SURNAME_LIST) - 1)]
    pool = FEMALE_CHARS if female else MALE_CHARS
    given = rng.sample(_GIVEN[female], 2 if rng.random() < 0.7 else 1)
    return surname + "".join(given), SURNAMES[surname] + "".join(pool[c] for c in given)


_PAIRS = len(_BRAND_LIST) * (len(_BRAND_LIST) - 1)


def brand(rng: random.Random, part: int = 0, parts: int = 1) -> tuple[str, str]:
    """A two-character 字号 and its pinyin, from partition ``part`` of ``parts``.

    Files of one run draw from disjoint partitions, so no two files ever share a 字号
    (no accidental near-duplicates across regions) while each file is generated alone."""
    pair = part + parts * rng.randrange((_PAIRS - part + parts - 1) // parts)
    i, j = divmod(pair, len(_BRAND_LIST) - 1)
    a, b = _BRAND_LIST[i], _BRAND_LIST[j + (j >= i)]
    return a + b, BRAND_CHARS[a] + BRAND_CHARS[b]


def industry_words(industry: str) -> tuple[str, ...]:
    return INDUSTRY_WORDS.get(industry, GENERIC_WORDS)


def legal_form(rng: random.Random) -> str:
    return rng.choices(_FORMS, cum_weights=_FORM_CUM)[0]
