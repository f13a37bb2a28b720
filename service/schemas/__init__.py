"""One statement of every shape the service reads and writes (pydantic v2 models).

``inputs`` (what clients send), ``outputs`` (what the service answers), ``corpus``
(labelled threads and CSV rows), ``limits`` (every size limit), ``fields`` (field types
with our messages), ``errors`` (pydantic's errors as ``errors[].field``) and ``openapi``
(the OpenAPI components generated from the models). See docs/contract.md.
"""
