"""The deterministic backend: always answers with the request's own template."""

from shopassist.generation.base import GenerationRequest


class TemplateGenerator:
    name = "template"

    def generate(self, request: GenerationRequest) -> str | None:
        return request.template
