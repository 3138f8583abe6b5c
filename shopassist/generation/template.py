"""The deterministic backend: always answers with the request's own template."""

from typing import Optional

from shopassist.generation.base import GenerationRequest


class TemplateGenerator:
    name = "template"

    def generate(self, request: GenerationRequest) -> Optional[str]:
        return request.template
