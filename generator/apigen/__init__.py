"""apigen: OpenAPI 3.0/3.1/3.2 and Swagger 2.0 specs to typed Python clients.

The build pipeline, one module per stage: `load` -> `validate` -> `ir` -> `render` -> `format`
-> `write`. `cli` drives it; `diagnostics` carries problems between the stages as values.
"""

__version__ = "0.1.0"
GENERATOR = f"apigen {__version__}"
