"""The catalog's product types as German, French, Spanish and Chinese customers name them.

The shop page, order replies and the order lines of forms show the catalog's English
product names in every language ("1 x Stride Running Shoes (black, 42)"), but a German
customer asked which item answers "die Schuhe". This is the one place for the other
languages' names of each product type (shopassist/store/seed.py names the types; a product
is "<brand> <type>"): the specific name first, then the everyday words ("Laufschuhe",
"Schuhe"). Singular or plural as customers usually say them; articles and other plural
forms are the reader's business (shopassist/dialogue/item_names.py). A word several types
share ("Schuhe", "鞋") names each of them: an answer matching two lines equally is asked
again. tests/unit/test_item_names.py fails until a new catalog type has names here.
"""

from __future__ import annotations

import re
from typing import Dict, Optional, Tuple

LANGUAGES = ("de", "fr", "es", "zh")


def _names(de: str, fr: str, es: str, zh: str) -> Dict[str, Tuple[str, ...]]:
    """Each language's names, written "name | name | ..." to keep the table readable."""
    return {
        language: tuple(name.strip() for name in names.split("|"))
        for language, names in zip(LANGUAGES, (de, fr, es, zh))
    }


# fmt: off
NAMES: Dict[str, Dict[str, Tuple[str, ...]]] = {
    "Wireless Over-Ear Headphones": _names(
        "kabellose Kopfhörer | Over-Ear-Kopfhörer | Bluetooth-Kopfhörer | Kopfhörer",
        "casque sans fil | casque bluetooth | casque | écouteurs",
        "auriculares inalámbricos | cascos inalámbricos | auriculares | cascos",
        "无线耳机 | 头戴式耳机 | 蓝牙耳机 | 耳机"),
    "Noise-Cancelling Headphones": _names(
        "Noise-Cancelling-Kopfhörer | Kopfhörer mit Geräuschunterdrückung | Kopfhörer",
        "casque à réduction de bruit | casque antibruit | casque | écouteurs",
        "auriculares con cancelación de ruido | auriculares | cascos",
        "降噪耳机 | 耳机"),
    "Studio Headphones": _names(
        "Studiokopfhörer | Studio-Kopfhörer | Kopfhörer",
        "casque de studio | casque | écouteurs",
        "auriculares de estudio | auriculares | cascos",
        "录音室耳机 | 监听耳机 | 耳机"),
    "Kids Headphones": _names(
        "Kinderkopfhörer | Kinder-Kopfhörer | Kopfhörer",
        "casque pour enfants | casque enfant | casque | écouteurs",
        "auriculares para niños | auriculares infantiles | auriculares | cascos",
        "儿童耳机 | 耳机"),
    "Gaming Headset": _names(
        "Gaming-Headset | Headset | Kopfhörer",
        "casque gaming | casque gamer | casque | micro-casque",
        "auriculares gaming | auriculares para juegos | auriculares | cascos",
        "游戏耳机 | 耳麦 | 耳机"),
    "True Wireless Earbuds": _names(
        "kabellose Ohrhörer | In-Ear-Kopfhörer | Ohrhörer | Earbuds",
        "écouteurs sans fil | écouteurs intra-auriculaires | écouteurs",
        "auriculares inalámbricos | auriculares intrauditivos | auriculares | audífonos",
        "真无线耳机 | 无线耳机 | 入耳式耳机 | 耳机"),
    "Sport Earbuds": _names(
        "Sport-Ohrhörer | Sportkopfhörer | Ohrhörer | Earbuds",
        "écouteurs de sport | écouteurs sport | écouteurs",
        "auriculares deportivos | auriculares | audífonos",
        "运动耳机 | 耳机"),
    "Bluetooth Speaker": _names(
        "Bluetooth-Lautsprecher | Bluetooth-Box | Lautsprecher | Box",
        "enceinte bluetooth | enceinte | haut-parleur",
        "altavoz bluetooth | altavoz | bocina",
        "蓝牙音箱 | 音箱 | 音响"),
    "Smart Speaker": _names(
        "smarter Lautsprecher | Smart Speaker | Lautsprecher",
        "enceinte connectée | enceinte intelligente | enceinte",
        "altavoz inteligente | altavoz",
        "智能音箱 | 音箱"),
    "Soundbar": _names(
        "Soundbar | Lautsprecher",
        "barre de son | enceinte",
        "barra de sonido | altavoz",
        "回音壁 | 条形音箱 | 音箱"),
    "65W USB-C Charger": _names(
        "USB-C-Ladegerät | Netzteil | Ladegerät",
        "chargeur USB-C | chargeur",
        "cargador USB-C | cargador",
        "USB-C充电器 | 充电头 | 充电器"),
    "Wireless Charging Pad": _names(
        "kabellose Ladestation | Ladepad | Ladestation | Ladegerät",
        "chargeur sans fil | chargeur à induction | socle de charge | chargeur",
        "cargador inalámbrico | base de carga | cargador",
        "无线充电板 | 无线充电器 | 无线充 | 充电器"),
    "Power Bank 20000mAh": _names(
        "Powerbank | Akku",
        "batterie externe | batterie",
        "batería externa | power bank | batería",
        "充电宝 | 移动电源"),
    "Car Charger": _names(
        "Kfz-Ladegerät | Autoladegerät | Ladegerät",
        "chargeur de voiture | chargeur allume-cigare | chargeur",
        "cargador de coche | cargador para el coche | cargador",
        "车载充电器 | 车充 | 充电器"),
    "USB-C Cable 2m": _names(
        "USB-C-Kabel | Ladekabel | Kabel",
        "câble USB-C | câble",
        "cable USB-C | cable",
        "USB-C数据线 | 数据线"),
    "HDMI 2.1 Cable": _names(
        "HDMI-Kabel | Kabel",
        "câble HDMI | câble",
        "cable HDMI | cable",
        "HDMI线 | 数据线"),
    "Lightning Cable 1m": _names(
        "Lightning-Kabel | Ladekabel | Kabel",
        "câble Lightning | câble",
        "cable Lightning | cable",
        "Lightning数据线 | 苹果数据线 | 数据线"),
    "Smartwatch": _names(
        "Smartwatch | Uhr",
        "montre connectée | montre",
        "reloj inteligente | smartwatch | reloj",
        "智能手表 | 手表"),
    "Fitness Tracker": _names(
        "Fitnesstracker | Fitness-Armband | Fitnessarmband",
        "bracelet connecté | tracker d'activité | bracelet",
        "pulsera de actividad | pulsera",
        "运动手环 | 手环"),
    "Mechanical Keyboard": _names(
        "mechanische Tastatur | Tastatur",
        "clavier mécanique | clavier",
        "teclado mecánico | teclado",
        "机械键盘 | 键盘"),
    "Wireless Mouse": _names(
        "kabellose Maus | Funkmaus | Maus",
        "souris sans fil | souris",
        "ratón inalámbrico | ratón",
        "无线鼠标 | 鼠标"),
    "Full HD Webcam": _names(
        "Webcam | Kamera",
        "webcam | caméra",
        "cámara web | webcam | cámara",
        "网络摄像头 | 摄像头"),
    "27-inch Monitor": _names(
        "Monitor | Bildschirm",
        "écran | moniteur",
        "monitor | pantalla",
        "显示器 | 屏幕"),
    "Laptop Stand": _names(
        "Laptopständer | Laptop-Ständer | Ständer",
        "support pour ordinateur portable | support ordinateur | support",
        "soporte para portátil | soporte",
        "笔记本支架 | 电脑支架 | 支架"),
    "10-inch Tablet": _names(
        "Tablet",
        "tablette",
        "tableta | tablet",
        "平板电脑 | 平板"),
    "E-Reader": _names(
        "E-Reader | E-Book-Reader",
        "liseuse",
        "lector de libros electrónicos | e-reader | lector",
        "电子书阅读器 | 阅读器"),
    "Portable Projector": _names(
        "tragbarer Beamer | Beamer | Projektor",
        "vidéoprojecteur portable | vidéoprojecteur | projecteur",
        "proyector portátil | proyector",
        "便携投影仪 | 投影仪"),
    "Electric Kettle": _names(
        "Wasserkocher",
        "bouilloire électrique | bouilloire",
        "hervidor eléctrico | hervidor | tetera eléctrica",
        "电热水壶 | 烧水壶 | 水壶"),
    "Drip Coffee Maker": _names(
        "Filterkaffeemaschine | Kaffeemaschine",
        "cafetière filtre | cafetière",
        "cafetera de goteo | cafetera",
        "滴滤咖啡机 | 咖啡机"),
    "Espresso Machine": _names(
        "Espressomaschine | Siebträgermaschine | Kaffeemaschine",
        "machine à expresso | machine à espresso | machine à café",
        "cafetera espresso | máquina de espresso | cafetera",
        "意式咖啡机 | 浓缩咖啡机 | 咖啡机"),
    "High-Speed Blender": _names(
        "Hochleistungsmixer | Standmixer | Mixer",
        "blender | mixeur",
        "licuadora | batidora de vaso | batidora",
        "破壁机 | 搅拌机 | 料理机"),
    "Toaster": _names(
        "Toaster",
        "grille-pain",
        "tostadora",
        "烤面包机 | 多士炉"),
    "Chef's Knife": _names(
        "Kochmesser | Küchenmesser | Messer",
        "couteau de chef | couteau de cuisine | couteau",
        "cuchillo de chef | cuchillo de cocina | cuchillo",
        "厨师刀 | 菜刀 | 刀"),
    "Non-Stick Frying Pan": _names(
        "beschichtete Pfanne | Bratpfanne | Pfanne",
        "poêle antiadhésive | poêle",
        "sartén antiadherente | sartén",
        "不粘锅 | 煎锅 | 平底锅 | 锅"),
    "Air Fryer": _names(
        "Heißluftfritteuse | Airfryer | Fritteuse",
        "friteuse sans huile | friteuse à air | friteuse",
        "freidora de aire | freidora sin aceite | freidora",
        "空气炸锅 | 炸锅"),
    "Stand Mixer": _names(
        "Küchenmaschine | Rührmaschine | Mixer",
        "robot pâtissier | batteur sur socle | robot | batteur",
        "batidora amasadora | amasadora | batidora",
        "厨师机 | 搅拌机"),
    "Rice Cooker": _names(
        "Reiskocher",
        "cuiseur à riz | autocuiseur à riz",
        "olla arrocera | arrocera",
        "电饭煲 | 电饭锅"),
    "Cotton Duvet Cover": _names(
        "Bettbezug | Bettdeckenbezug | Bezug",
        "housse de couette | housse",
        "funda nórdica | funda de edredón | funda",
        "被套"),
    "Memory Foam Pillow": _names(
        "Memory-Foam-Kissen | Kopfkissen | Kissen",
        "oreiller à mémoire de forme | oreiller",
        "almohada viscoelástica | almohada",
        "记忆棉枕头 | 枕头"),
    "Linen Sheet Set": _names(
        "Leinen-Bettwäsche | Bettwäsche | Bettlaken | Laken",
        "parure de draps en lin | parure de draps | draps | drap",
        "juego de sábanas de lino | juego de sábanas | sábanas | sábana",
        "亚麻床单套件 | 床单 | 床品"),
    "Bath Towel Set": _names(
        "Badetuch-Set | Handtuch-Set | Badetücher | Badetuch | Handtücher | Handtuch",
        "lot de serviettes de bain | serviettes de bain | serviettes | serviette",
        "juego de toallas de baño | toallas de baño | toallas | toalla",
        "浴巾套装 | 浴巾 | 毛巾"),
    "Bath Mat": _names(
        "Badematte | Badvorleger | Matte",
        "tapis de bain | tapis",
        "alfombrilla de baño | alfombra de baño | alfombrilla",
        "浴室地垫 | 地垫 | 脚垫"),
    "LED Desk Lamp": _names(
        "LED-Schreibtischlampe | Schreibtischlampe | Lampe",
        "lampe de bureau | lampe",
        "lámpara de escritorio | flexo | lámpara",
        "LED台灯 | 台灯 | 灯"),
    "Floor Lamp": _names(
        "Stehlampe | Stehleuchte | Lampe",
        "lampadaire | lampe",
        "lámpara de pie | lámpara",
        "落地灯 | 灯"),
    "Smart Bulb 4-Pack": _names(
        "smarte Glühbirnen | Glühbirnen | Glühbirne | Lampen",
        "ampoules connectées | ampoules | ampoule",
        "bombillas inteligentes | bombillas | bombilla",
        "智能灯泡 | 灯泡"),
    "Scented Candle": _names(
        "Duftkerze | Kerze",
        "bougie parfumée | bougie",
        "vela aromática | vela perfumada | vela",
        "香薰蜡烛 | 香氛蜡烛 | 蜡烛"),
    "Wall Clock": _names(
        "Wanduhr | Uhr",
        "horloge murale | horloge | pendule",
        "reloj de pared | reloj",
        "挂钟 | 钟"),
    "Throw Blanket": _names(
        "Kuscheldecke | Wohndecke | Decke",
        "plaid | couverture",
        "manta",
        "毯子 | 盖毯 | 沙发毯"),
    "Organic Cotton T-Shirt": _names(
        "Bio-Baumwoll-T-Shirt | T-Shirt | Shirt",
        "t-shirt en coton bio | t-shirt | tee-shirt",
        "camiseta de algodón orgánico | camiseta",
        "有机棉T恤 | T恤 | 短袖"),
    "V-Neck T-Shirt": _names(
        "T-Shirt mit V-Ausschnitt | V-Ausschnitt-Shirt | T-Shirt | Shirt",
        "t-shirt col V | t-shirt | tee-shirt",
        "camiseta de cuello de pico | camiseta con cuello en V | camiseta",
        "V领T恤 | T恤 | 短袖"),
    "Linen Shirt": _names(
        "Leinenhemd | Hemd",
        "chemise en lin | chemise",
        "camisa de lino | camisa",
        "亚麻衬衫 | 衬衫"),
    "Wool Socks 3-Pack": _names(
        "Wollsocken | Socken",
        "chaussettes en laine | chaussettes",
        "calcetines de lana | calcetines",
        "羊毛袜 | 袜子"),
    "Slim Fit Jeans": _names(
        "Slim-Fit-Jeans | Jeans | Hose",
        "jean slim | jean | jeans",
        "vaqueros slim | vaqueros | jeans | pantalones",
        "修身牛仔裤 | 牛仔裤 | 裤子"),
    "Relaxed Fit Jeans": _names(
        "Relaxed-Fit-Jeans | weite Jeans | Jeans | Hose",
        "jean coupe droite | jean ample | jean | jeans",
        "vaqueros holgados | vaqueros | jeans | pantalones",
        "宽松牛仔裤 | 牛仔裤 | 裤子"),
    "Zip Hoodie": _names(
        "Kapuzenjacke | Hoodie mit Reißverschluss | Hoodie",
        "sweat zippé à capuche | sweat à capuche | sweat | hoodie",
        "sudadera con cremallera | sudadera con capucha | sudadera",
        "拉链连帽衫 | 连帽衫 | 卫衣"),
    "Pullover Hoodie": _names(
        "Kapuzenpullover | Kapuzenpulli | Hoodie | Pullover",
        "sweat à capuche | sweat | hoodie | pull",
        "sudadera con capucha | sudadera",
        "套头连帽衫 | 连帽衫 | 卫衣"),
    "Running Shoes": _names(
        "Laufschuhe | Turnschuhe | Schuhe",
        "chaussures de course | chaussures de running | baskets | chaussures",
        "zapatillas de correr | zapatillas de running | zapatillas | zapatos",
        "跑鞋 | 跑步鞋 | 运动鞋 | 鞋子 | 鞋"),
    "Leather Sneakers": _names(
        "Ledersneaker | Sneaker | Turnschuhe | Schuhe",
        "baskets en cuir | baskets | sneakers | chaussures",
        "zapatillas de piel | zapatillas de cuero | zapatillas | zapatos",
        "皮质运动鞋 | 小白鞋 | 板鞋 | 休闲鞋 | 鞋子 | 鞋"),
    "Hiking Boots": _names(
        "Wanderschuhe | Wanderstiefel | Stiefel | Schuhe",
        "chaussures de randonnée | bottes de randonnée | chaussures | bottes",
        "botas de montaña | botas de senderismo | botas | zapatos",
        "登山鞋 | 徒步鞋 | 登山靴 | 靴子 | 鞋子 | 鞋"),
    "Rain Jacket": _names(
        "Regenjacke | Jacke",
        "veste de pluie | imperméable | veste",
        "chubasquero | chaqueta impermeable | impermeable | chaqueta",
        "雨衣 | 冲锋衣 | 外套"),
    "Down Jacket": _names(
        "Daunenjacke | Jacke",
        "doudoune | veste",
        "chaqueta de plumas | plumífero | abrigo de plumas | chaqueta",
        "羽绒服 | 外套"),
    "Boxer Briefs 3-Pack": _names(
        "Boxershorts | Unterhosen | Unterwäsche",
        "boxers | caleçons | sous-vêtements",
        "bóxers | calzoncillos bóxer | calzoncillos | ropa interior",
        "平角内裤 | 内裤"),
    "Cotton Briefs 5-Pack": _names(
        "Slips | Unterhosen | Unterwäsche",
        "slips | culottes | sous-vêtements",
        "calzoncillos de algodón | calzoncillos | slips | ropa interior",
        "棉质内裤 | 三角内裤 | 内裤"),
    "Swim Shorts": _names(
        "Badeshorts | Badehose",
        "short de bain | maillot de bain",
        "bañador | pantalón de baño",
        "泳裤 | 沙滩裤"),
    "One-Piece Swimsuit": _names(
        "Badeanzug",
        "maillot de bain une pièce | maillot de bain | maillot",
        "bañador de una pieza | traje de baño | bañador",
        "连体泳衣 | 泳衣"),
}
# fmt: on

_TYPES_LONGEST_FIRST = sorted(NAMES, key=len, reverse=True)


def product_type(label: str) -> Optional[str]:
    """The catalog type an order line or product name is of ("1 x Stride Running Shoes
    (black, 42)" -> "Running Shoes"), or None for a name not in the catalog."""
    if not isinstance(label, str):
        return None
    for kind in _TYPES_LONGEST_FIRST:
        if re.search(rf"(?<![\w-]){re.escape(kind)}(?![\w-])", label):
            return kind
    return None


def names_in(label: str, language: str) -> Tuple[str, ...]:
    """What customers writing `language` call the product of `label`; () when the type is
    not known or the language is English (the label is the English name)."""
    kind = product_type(label)
    return NAMES[kind].get(language, ()) if kind else ()
