"""The words that name an upset customer's situation in German, French, Spanish and Chinese.

shopassist.generation.tone reads the situation (a late order, a damaged item, a double
charge, a wrong item, a lost parcel) from the customer's words; its English patterns are
there, these are the same situations as customers of the other served languages write
them. Each is a regular expression, matched ignoring case anywhere in the message, whatever
the conversation's language (a German word does not turn up in an English complaint).
Accents are optional where customers often drop them ("abime", "danado"). Chinese has no
spaces, so its patterns have no word boundaries. Words that also mean something harmless
are left out or only taken in a phrase: Spanish "tarde" is also "afternoon" ("buenas
tardes"), so only "llegó tarde" and the like count.
"""

from __future__ import annotations

from typing import Dict

WORDS: Dict[str, Dict[str, str]] = {
    "de": {
        "charged_twice": (
            r"\b(?:doppelt|zweimal|2 ?mal) (?:abgebucht|belastet|berechnet|bezahlt|abgerechnet|"
            r"eingezogen)|\bdoppel(?:te)? ?(?:ab)?buchung|\bdoppelte (?:belastung|zahlung)|"
            r"\b(?:abgebucht|belastet|berechnet) .{0,20}\b(?:zweimal|doppelt)\b"
        ),
        "damaged": (
            r"\b(?:kaputt\w*|besch[äa]digt\w*|defekt\w*|zerbrochen|zerkratzt|zersprungen|"
            r"gesprungen|verbeult|eingedr[üu]ckt|funktioniert (?:nicht|gar nicht|nicht mehr)|"
            r"geht nicht (?:mehr )?an)"
        ),
        "wrong_item": (
            r"\bfalsche[nrsm]? (?:artikel|gr[öo](?:ß|ss)e|farbe|produkt|ware|sache|teil|"
            r"bestellung|schuhe?|paket)|\bnicht (?:das|was|das,? was) ich bestellt|"
            r"\bfalsch geliefert|"
            r"\b(?:etwas|was) (?:ganz )?anderes (?:bekommen|geliefert|erhalten)"
        ),
        "lost": (
            r"\b(?:verloren|verschwunden|nie (?:an)?gekommen|niemals (?:an)?gekommen|"
            r"nie erhalten|als zugestellt|angeblich zugestellt|gestohlen)"
        ),
        "late": (
            r"\b(?:zu sp[äa]t|versp[äa]t\w*|immer noch nicht|noch immer nicht|"
            r"noch nicht (?:da|angekommen|geliefert|erhalten|bekommen)|"
            r"dauert (?:ewig|so lange|zu lange)|warte (?:immer noch|schon|seit)|wo bleibt)"
        ),
    },
    "fr": {
        "charged_twice": (
            r"\b(?:d[ée]bit|pr[ée]lev|factur|pay)[ée]e?s? (?:deux fois|2 fois|en double)|"
            r"\bdouble (?:pr[ée]l[èe]vement|d[ée]bit|facturation|paiement)|"
            r"\b(?:deux|2) (?:pr[ée]l[èe]vements|d[ée]bits)"
        ),
        "damaged": (
            r"\b(?:cass[ée]e?s?|ab[iî]m[ée]e?s?|endommag[ée]e?s?|d[ée]fectueu(?:x|se)|"
            r"ray[ée]e?s?|f[êe]l[ée]e?s?|bris[ée]e?s?|ne (?:marche|fonctionne) (?:pas|plus)|"
            r"en panne)\b"
        ),
        "wrong_item": (
            r"\bmauvaise? (?:article|taille|couleur|produit|colis|commande|pointure|mod[èe]le)|"
            r"\bpas (?:le bon|la bonne) (?:article|taille|couleur|produit|colis|pointure)|"
            r"\bpas ce que j['’]ai command[ée]|"
            r"\berreur (?:de|dans (?:la|ma)) (?:commande|colis|livraison|taille)"
        ),
        "lost": (
            r"\b(?:perdue?s?|[ée]gar[ée]e?s?|disparue?s?|jamais (?:arriv[ée]|re[çc]u|livr[ée])|"
            r"(?:marqu|indiqu)[ée]e? (?:comme )?livr[ée]|vol(?:é|ée|és|ées))\b"
        ),
        "late": (
            r"\b(?:retard\w*|toujours pas|toujours rien|"
            r"pas encore (?:arriv|re[çc]u|livr)|j['’]attends (?:toujours|depuis)|"
            r"o[ùu] (?:est|en est) (?:ma|mon) (?:commande|colis))"
        ),
    },
    "es": {
        "charged_twice": (
            r"\b(?:cobr|carg)(?:ad[oa]s?|[óo]|aron) (?:dos veces|2 veces|doble|por duplicado)|"
            r"\b(?:pagu[ée]|he pagado) (?:dos veces|2 veces|doble)|"
            r"\b(?:doble|dos) (?:cobros?|cargos?)|\b(?:cobro|cargo) (?:doble|duplicado)"
        ),
        "damaged": (
            r"\b(?:rot[oa]s?|da[ñn]ad[oa]s?|estropead[oa]s?|defectuos[oa]s?|rayad[oa]s?|"
            r"abollad[oa]s?|agrietad[oa]s?|no funciona|no enciende|dej[óo] de funcionar)\b"
        ),
        "wrong_item": (
            r"\b(?:art[íi]culo|talla|color|producto|pedido|paquete|modelo) "
            r"(?:equivocad|incorrect)[oa]|"
            r"\bno es (?:lo|el|la) que (?:ped[íi]|compr[ée]|encargu[ée])|"
            r"\b(?:enviaron|mandaron|lleg[óo]) (?:otr[oa] (?:cosa|art[íi]culo|talla|color)|"
            r"algo distinto)"
        ),
        "lost": (
            r"\b(?:perdid[oa]s?|extraviad[oa]s?|nunca (?:me )?(?:lleg[óo]|recib[íi])|"
            r"no (?:me )?lleg[óo] nunca|(?:dice|pone|aparece|figura) (?:como |que )?"
            r"(?:fue |est[áa] )?entregad[oa]|robad[oa])\b"
        ),
        "late": (
            r"\b(?:(?:lleg[óo]|llega|viene|llegar[áa]) (?:muy )?tarde|con retraso|"
            r"retrasad[oa]s?|retraso|"
            r"(?:todav[íi]a|a[úu]n) no (?:me )?(?:ha )?(?:llegado|lleg[óa]|recib)|"
            r"sigue sin llegar|sigo esperando|"
            r"tarda (?:mucho|demasiado)|d[óo]nde est[áa] mi (?:pedido|paquete))"
        ),
    },
    "zh": {
        "charged_twice": (
            r"扣了(?:两|2)次|扣(?:款|费)?两次|重复(?:扣款|扣费|收费|付款)|收了两次|付了两次|多扣"
        ),
        "damaged": r"坏了|坏的|损坏|破损|摔坏|碎了|裂了|划痕|故障|不工作|开不了机",
        "wrong_item": (r"发错|寄错|送错|错发|尺码不对|颜色不对|不是我(?:订|买|下单)的|货不对版"),
        "lost": (
            r"丢了|丢失|弄丢|遗失|(?:从来|从)没(?:有)?(?:收到|到)|从未收到|"
            r"显示(?:已)?签收|显示已送达|被偷"
        ),
        "late": (
            r"迟到|晚到|延迟|延误|还没(?:有)?(?:到|收到)|怎么还没到|等了(?:好久|很久|这么久)|"
            r"太慢|我的(?:订单|包裹|快递)(?:在)?哪"
        ),
    },
}
