"""Chinese written in Latin letters (Hanyu Pinyin), which no detector of the served languages
reads right: "wo de dingdan zai nali" looks French to one, "wǒ de dìngdān" German.

A message is taken for pinyin when it has at least two words and every word is made of
pinyin syllables (tone marks, a tone digit and the apostrophe of "xi'an" allowed; inside a
word, a syllable starting with a, e or o needs that apostrophe, as pinyin spells it). The
syllables are the standard table of Mandarin, written with "v" for "ü". Some short English
or Spanish messages pass too ("Are you an AI?"): a message taken for pinyin keeps the
conversation's language as it was, and gets the served languages' list (with a line in
Chinese characters) only when it is surely pinyin (shopassist.language.unserved: tone marks,
or most of three words or more no word of a served language).
"""

from __future__ import annotations

import re
import unicodedata

_SYLLABLES = """
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can
cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den
deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang
fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang
gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken
keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian
liang liao lie lin ling liu lo long lou lu luan lun luo lv lve ma mai man mang mao me mei
men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian
niang niao nie nin ning niu nong nou nu nuan nuo nv nve o ou pa pai pan pang pao pei pen peng
pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que
qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen
seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui
shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting
tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie
xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun
za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong
zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
""".split()
_ANY = "|".join(sorted(_SYLLABLES, key=len, reverse=True))
# Inside a word a syllable starting with a, e or o follows an apostrophe ("xi'an", "tian'anmen").
_NEXT = "|".join(sorted((s for s in _SYLLABLES if s[0] not in "aeo"), key=len, reverse=True))
_WORD = re.compile(rf"(?:{_ANY})[1-5]?(?:(?:'(?:{_ANY})|(?:{_NEXT}))[1-5]?)*")
_TOKENS = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def _plain(text: str) -> str:
    """Lower case, "ü" as "v", tone marks dropped."""
    text = unicodedata.normalize("NFD", text.lower().replace("ü", "v"))
    text = text.replace("u\u0308", "v")  # a "ü" that carried a tone mark as well
    return "".join(c for c in text if not unicodedata.combining(c))


def is_pinyin(text: str) -> bool:
    """True when every word of a message of two words or more is pinyin."""
    words = [w for w in _TOKENS.findall(_plain(text)) if not w.isdigit()]
    return len(words) >= 2 and all(_WORD.fullmatch(w) for w in words)
