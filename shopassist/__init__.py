"""ShopAssist: the library shared by the action server, the NLU components and the console."""

__version__ = "0.1.0"
