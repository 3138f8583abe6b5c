"""ShopAssist's rasa-sdk action server: thin adapters over the `shopassist` services.

They run only inside `python -m shopassist.action_server`, which refuses calls without the
Rasa server's secret. rasa-sdk's own server (`rasa run actions`, `python -m rasa_sdk`) would
answer anyone who reaches its port, so it stops here with a message saying what to run.
"""

import sys

from shopassist.auth.action_secret import HOW_TO


def _started_by_rasa_sdk() -> bool:
    main_spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return "rasa_sdk.__main__" in sys.modules or getattr(main_spec, "name", "") in {
        "rasa_sdk.__main__",
        "rasa_sdk",
    }


if _started_by_rasa_sdk():
    raise SystemExit(
        "ShopAssist's actions do not run in rasa-sdk's own server, which takes calls from "
        f"anyone. {HOW_TO}"
    )
