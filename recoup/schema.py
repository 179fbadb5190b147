"""Describes to drf-spectacular what its introspection cannot see: our API-key auth and strict bodies."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "recoup.auth.ApiKeyAuthentication"
    name = ["ApiKeyAuth", "BearerAuth"]

    def get_security_requirement(self, auto_schema) -> list[dict[str, list]]:
        # Either scheme alone authenticates (SPEC 2); one requirement object naming both
        # would tell clients and generated SDKs to send the key twice, which answers 401.
        return [{name: []} for name in self.name]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "apiKey", "in": "header", "name": "x-api-key"},
            {"type": "http", "scheme": "bearer", "description": "The same key as a Bearer token"},
        ]


class NoUnknownFieldsSchema(OpenApiSerializerExtension):
    """Bodies that reject unknown fields say so, so clients and fuzzers know extra fields get a 400."""

    target_class = "recoup.lib.fields.NoUnknownFieldsMixin"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction: str) -> dict:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["additionalProperties"] = False
        return schema
