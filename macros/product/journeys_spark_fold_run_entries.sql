{#-
    Spark only (int_funnel_entry_steps, DECISIONLOG D191): the entries of
    each long run of first-step instants by one fold over the run's sorted
    instants, instead of pointer doubling. Spark's planner grows
    exponentially with the doubling's depth (one row: 10 s at 4 levels,
    267 s at 8; at 12 its analyzer stops at 100 passes), while a fold is
    one aggregate, exact, with no recursion. Same rule: an instant more
    than `window_micros` after the current entry's start starts the next
    entry. Same bound: the first `max_entries` entries of a run are kept
    and the run's rows say is_entry_chain_complete = false past it, as the
    doubling does, so every engine returns the same rows (unit tests run
    on all three).

    `relation` has customer_key, run_number, node_number and
    micros_from_run_start (distinct per run). Returns one row per entry:
    customer_key, run_number, node_number, is_entry (1),
    is_entry_chain_complete.
-#}
{% macro journeys_spark_fold_run_entries(relation, window_micros, max_entries) %}
    select
        nodes.customer_key,
        nodes.run_number,
        nodes.node_number,
        1 as is_entry,
        exploded.entry_count <= {{ max_entries }} as is_entry_chain_complete
    from (
        select
            customer_key,
            run_number,
            size(entries) as entry_count,
            explode(slice(entries, 1, {{ max_entries }})) as entry_micros
        from (
            select
                customer_key,
                run_number,
                aggregate(
                    array_sort(collect_list(micros_from_run_start)),
                    cast(array() as array<bigint>),
                    (chain, instant) -> case
                        when size(chain) = 0
                            or instant - element_at(chain, -1) > {{ window_micros }}
                            then concat(chain, array(instant))
                        else chain
                    end
                ) as entries
            from {{ relation }}
            group by customer_key, run_number
        ) as folded
    ) as exploded
    inner join {{ relation }} as nodes
        on
            exploded.customer_key = nodes.customer_key
            and exploded.run_number = nodes.run_number
            and exploded.entry_micros = nodes.micros_from_run_start
{% endmacro %}

{#- Whether int_funnel_entry_steps folds runs (Spark) or doubles (others). -#}
{% macro journeys_funnel_entries_by_fold() %}
    {{ return(adapter.dispatch('journeys_funnel_entries_by_fold', 'journeys')()) }}
{% endmacro %}

{% macro default__journeys_funnel_entries_by_fold() %}
    {{ return(false) }}
{% endmacro %}

{% macro spark__journeys_funnel_entries_by_fold() %}
    {{ return(true) }}
{% endmacro %}
