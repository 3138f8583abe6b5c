"""The words of German, French, Spanish and Chinese customers for the answers forms read.

shopassist.dialogue.choices reads "all", "the mug and the socks", "remove it", a return's
reason and an item's condition; its English patterns are there, these are the other served
languages' usual words for the same answers, matched ignoring case beside the English ones
whatever the conversation's language. Accents are optional where customers often drop
them. Chinese has no spaces, so its patterns have no word boundaries. A word that also
reads as something else is only taken in a phrase: French "neuf" is in "comme neuf" (used,
like new), so it does not say unopened; Spanish "quita" is a word, "quit" would catch
English "quite".
"""

from __future__ import annotations

# "All of them": every line of the order.
ALL = (
    r"\b(?:alle|alles|beide|beides|die ganze bestellung)\b",
    r"\b(?:tout|tous|toutes|les deux|toute la commande)\b",
    r"\b(?:todo|todos|todas|ambos|ambas|los dos|las dos|el pedido entero)\b",
    r"全部|所有|全都|两个都|都要|整个订单",
)

# What joins two picks: "die Tasse und die Socken", "le mug et les chaussettes".
AND = r"\bund\b|\bet\b|\by\b|，|、|和|还有"

# "Remove it": the line's quantity becomes 0.
REMOVE = (
    r"\b(?:entfernen|entferne|l[öo]schen|l[öo]sche|streichen|streiche|rausnehmen|"
    r"nehmen sie (?:es|ihn|sie) raus|weglassen|will (?:es|ihn|sie) nicht mehr)\b",
    r"\b(?:retirer|retirez|retire|supprimer|supprimez|supprime|enlever|enlevez|enl[èe]ve)\b",
    r"\b(?:quitar|quita|qu[ií]talo|qu[ií]tala|qu[ií]talos|eliminar|elimina|elim[íi]nalo|"
    r"borrar|borra|b[óo]rralo|ya no lo quiero|ya no la quiero)\b",
    r"删除|删掉|去掉|移除|拿掉|不要了",
)

# Return reasons, by the policy's code (choices.REASON_PHRASES checks the codes in its order).
REASONS = {
    "never_arrived": (
        r"\b(?:nie|nicht) (?:angekommen|erhalten|geliefert|bekommen)|\bverloren",
        r"\bjamais (?:arriv|re[çc]u|livr)|\bpas (?:arriv|re[çc]u|livr)|\bperdu",
        r"\bnunca (?:me )?(?:lleg|recib)|\bno (?:me )?(?:ha )?lleg|\bno (?:lo |la )?he recibido|"
        r"\bperdid|\bextraviad",
        r"没收到|没有收到|没到|未收到|丢了|丢失",
    ),
    "wrong_item": (
        r"\bfalsche[nrs]? (?:artikel|produkt|ware|farbe|modell)|"
        r"\bnicht (?:das|was|das,? was) ich bestellt|\bnicht wie beschrieben",
        r"\bmauvais (?:article|produit|mod[èe]le)|\bmauvaise couleur|"
        r"\bpas ce que j['’]ai command|\bpas conforme|\bpas comme (?:d[ée]crit|sur la photo)",
        r"\b(?:art[íi]culo|producto|modelo|color) (?:equivocad|incorrect)|\bno es lo que ped|"
        r"\bno es como (?:en la foto|se describ)",
        r"发错|寄错|不是我(?:订|买)的|与描述不符|货不对版|颜色不对",
    ),
    "damaged": (
        r"\b(?:besch[äa]digt|kaputt|zerbrochen|zerkratzt|eingedr[üu]ckt|verbeult|zerrissen)",
        r"\b(?:endommag|cass[ée]|ab[iî]m|ray[ée]|bris[ée]|d[ée]chir|f[êe]l[ée])",
        r"\b(?:da[ñn]ad|rot[oa]s?\b|rayad|abollad|rasgad|agrietad)",
        r"损坏|破损|坏了|碎了|裂了|划痕|压坏|摔坏|破了",
    ),
    "defective": (
        r"\b(?:defekt|fehlerhaft|funktioniert nicht|geht nicht an|schaltet sich nicht ein)",
        r"\b(?:d[ée]fectueu|ne (?:marche|fonctionne) (?:pas|plus)|en panne|ne s['’]allume pas)",
        r"\b(?:defectuos|no funciona|dej[óo] de funcionar|no enciende)",
        r"故障|不能用|用不了|不工作|开不了机|质量问题|失灵",
    ),
    "does_not_fit": (
        r"\bpasst nicht|\bzu (?:klein|gro(?:ß|ss)|eng|weit|kurz|lang)\b|"
        r"\bfalsche gr[öo](?:ß|ss)e|\bgr[öo](?:ß|ss)e (?:passt|stimmt) nicht",
        r"\bne me va pas|\btrop (?:petit|grand|serr|large|court|long)|"
        r"\bmauvaise (?:taille|pointure)|\bpas la bonne (?:taille|pointure)",
        r"\bno me (?:queda|va)|\b(?:muy|demasiado) (?:peque[ñn]|grande|ajustad|holgad|cort|larg)|"
        r"\btalla (?:equivocad|incorrect)|\bno es mi talla",
        r"不合身|尺码不对|太小|太大|太紧|太松|太短|太长|不合适",
    ),
    "changed_mind": (
        r"\banders [üu]berlegt|\bumentschieden|\bbrauche (?:es|ihn|sie) nicht|"
        r"\bgef[äa]llt mir nicht|\bwill (?:es|ihn|sie) nicht mehr",
        r"\bchang[ée] d['’]avis|\bplus besoin|\bn['’]en veux plus|\bne (?:me )?pla[iî]t pas",
        r"\bcambi[ée] de opini[óo]n|\bya no (?:lo |la |los |las )?(?:quiero|necesito)|"
        r"\bno me gusta",
        r"不想要|不要了|不需要了|改变主意|改主意|不喜欢",
    ),
    "other": (
        r"^\s*(?:anderer? grund|sonstiges|andere)\b",
        r"^\s*autre\b",
        r"^\s*otr[oa]\b",
        r"^\s*其他",
    ),
}

# An item's condition (choices.CONDITION_PHRASES checks them in this order: unopened before
# opened, since "ungeöffnet" and "pas ouvert" contain the word for opened).
CONDITIONS = {
    "damaged": (
        r"\b(?:besch[äa]digt|kaputt|zerbrochen)",
        r"\b(?:endommag|cass[ée]|ab[iî]m)",
        r"\b(?:da[ñn]ad|rot[oa]s?\b)",
        r"损坏|破损|坏了",
    ),
    "unopened": (
        r"\b(?:unge[öo]ffnet|originalverpackt|versiegelt|unbenutzt|nie ge[öo]ffnet|"
        r"nicht ge[öo]ffnet|noch in der verpackung)",
        r"\b(?:jamais|pas|non) (?:ouvert|utilis)|\binutilis|\bscell[ée]|"
        r"\bemballage d['’]origine|\bencore emball",
        r"\bsin (?:abrir|usar)|\bno (?:lo |la )?(?:he )?abiert|\bprecintad|\bsellad|"
        r"\bembalaje original",
        r"未拆封|没拆|没有拆|未开封|没开封|全新|没用过|未使用|原包装",
    ),
    "opened": (
        r"\b(?:ge[öo]ffnet|benutzt|getragen|ausprobiert|anprobiert|gebraucht)",
        r"\b(?:ouvert|utilis[ée]|port[ée]|essay[ée]|d[ée]ball)",
        r"\b(?:abiert|usad|probad|puest)",
        r"拆了|拆开|拆封|用过|试过|穿过|打开过|开封",
    ),
}
