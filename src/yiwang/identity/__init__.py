"""Identity context: people and enterprises, their identifiers, regions and names.

* ``numbers``    公民身份号码 and 统一社会信用代码: validation, check characters, allocation,
                 masking
* ``models``     ``Person``, ``Enterprise``, ``EntityType``, ``Gender``
* ``regions``    the administrative region tree (行政区划) parsed from ``catalog/regions.yaml``
* ``names``      the enterprise-name self-declaration check (企业名称自主申报)
* ``scope``      the standard business-scope list (经营范围规范表述) and its check
* ``population`` the deterministic synthetic demo population; the real-name verification port
* ``errors``     the exception hierarchy and ``FieldProblem``
"""
