{#-
    Reports label their rollup rows `all` (SPEC 5: `segment` rows include
    `all`, every customer; `channel` rows include `all`). A value from the
    data or a config seed spelled `all` would be a second, different `all`
    row of the same report (a duplicated grain; summed with the rollup by
    anyone filtering on it). So staging renames it, without losing or
    merging anything: a value made of `all` followed by zero or more
    ` (data)` gets one more ` (data)` (`all` -> `all (data)`, `all (data)`
    -> `all (data) (data)`, ...); every other value is unchanged. The
    mapping is one-to-one (no two values meet), never yields `all`, and
    keeps the value readable. Compared after trimming and lower-casing where
    the column is lower-cased (channels), as received otherwise (segments:
    `All` is not `all` on any engine, so it needs no renaming).
    Portable (no regular expression): the value is `all`, or starts with
    `all (data)` and is `all` once every ` (data)` is removed.
-#}
{% macro journeys_escape_rollup_label(expression) %}
    case
        when
            {{ expression }} = 'all'
            or (
                {{ expression }} like 'all (data)%'
                and replace({{ expression }}, ' (data)', '') = 'all'
            )
            then {{ expression }} || ' (data)'
        else {{ expression }}
    end
{% endmacro %}
