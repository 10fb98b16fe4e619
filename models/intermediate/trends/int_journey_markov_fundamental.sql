{#-
    The fundamental matrix N = (I - Q)^-1 of the journey-prediction chain
    (int_journey_markov_transitions; Q: the steps between its n transient
    states), solved exactly: one row per pair of transient states (i, j)
    with expected_visits = N[i][j], the expected number of visits to j of a
    journey now in i (counting the current visit when i = j).

    Method: Gauss-Jordan elimination on the dense augmented matrix
    [I - Q | I], the same unrolled-in-SQL technique as the attribution
    solve (int_attribution_markov_removal_effects): no recursion (Spark has
    no recursive CTE), no iteration to convergence, no sampling. Step k
    divides row k by its pivot A[k][k] and subtracts A[i][k] times it from
    every other row i (window passes over the previous step: A[i][k] along
    row i, row k down each column j, the pivot); column k of the left block
    is then the unit vector and is dropped by the next step. After n steps the right block is N. The steps are
    unrolled at run time from the state count (journeys_markov_state_count);
    each handles at most n x 2n rows, whatever the number of journeys.

    No pivoting is needed: I - Q is a non-singular M-matrix (every state was
    seen reaching absorption), so every pivot is positive; the division is
    guarded anyway.
-#}
{#- Spark: the unrolled solve is one plan n levels deep; its analyzer and
    optimizer stop at 100 passes by default, too few for a few dozen states. -#}
{{ config(pre_hook=[
    "{{ 'set spark.sql.analyzer.maxIterations = 1000' if target.type == 'spark' }}",
    "{{ 'set spark.sql.optimizer.maxIterations = 1000' if target.type == 'spark' }}",
]) }}
{%- set state_count = journeys_markov_state_count(ref('int_journey_markov_transitions')) -%}

with

transitions as (

    select * from {{ ref('int_journey_markov_transitions') }}

),

states as (

    select distinct from_state_index as state_index from transitions

),

-- columns 1..n: I - Q; columns n + 1 .. 2n: I
columns_all as (

    select
        state_index as column_index,
        state_index,
        0 as is_identity_block
    from states
    union all
    select
        state_index + {{ state_count }} as column_index,
        state_index,
        1 as is_identity_block
    from states

),

eliminated_0 as (

    select
        rows_all.state_index as row_index,
        columns_all.column_index,
        cast(
            case when rows_all.state_index = columns_all.state_index then 1 else 0 end
            as {{ journeys_type_double() }}
        )
        - case
            when columns_all.is_identity_block = 1 then 0
            else coalesce(transitions.transition_probability, 0)
        end as entry_value
    from states as rows_all
    cross join columns_all
    left join transitions
        on
            columns_all.is_identity_block = 0
            and rows_all.state_index = transitions.from_state_index
            and columns_all.state_index = transitions.to_state_index

),
{%- for state in range(1, state_count + 1) %}

    -- pivot on state {{ state }} in one pass (one level of SQL per state:
    -- Spark's analyzer gives up on much deeper plans): A[i][{{ state }}] along
    -- each row i, and row {{ state }} divided by its pivot down each column j
    eliminated_{{ state }} as (

        select
            row_index,
            column_index,
            case
                when row_index = {{ state }} then pivot_row_scaled
                else entry_value - entry_in_pivot_column * pivot_row_scaled
            end as entry_value
        from (
            select
                row_index,
                column_index,
                entry_value,
                max(case when column_index = {{ state }} then entry_value end) over (
                    partition by row_index
                ) as entry_in_pivot_column,
                max(case when row_index = {{ state }} then entry_value end)
                    over (
                        partition by column_index
                    )
                / nullif(
                    max(
                        case
                            when row_index = {{ state }} and column_index = {{ state }}
                                then entry_value
                        end
                    ) over (),
                    0
                ) as pivot_row_scaled
            from eliminated_{{ state - 1 }}
            where column_index <> {{ state - 1 }}
        ) as pivoting_{{ state }}

    ),
{%- endfor %}

final as (

    select
        -- keys
        cast(row_index as {{ dbt.type_int() }}) as from_state_index,
        cast(column_index - {{ state_count }} as {{ dbt.type_int() }}) as to_state_index,

        -- numerics
        cast(entry_value as {{ journeys_type_double() }}) as expected_visits

    from eliminated_{{ state_count }}
    where column_index > {{ state_count }}

)

select * from final
