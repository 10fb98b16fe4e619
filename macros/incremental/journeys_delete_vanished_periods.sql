{#-
    pre_hook of incremental models keyed by reporting period: on an
    incremental run, delete the rows of periods `periods_relation`
    (int_periods_enumerated) no longer holds (as_of set earlier, or the
    first event moved). No-op on a full build.
-#}
{% macro journeys_delete_vanished_periods(periods_relation) %}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where not exists (
            select 1 from {{ periods_relation }} as periods
            where
                periods.period_grain = {{ this }}.period_grain
                and periods.period_start = {{ this }}.period_start
        )
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{% endmacro %}
