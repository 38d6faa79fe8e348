#!/usr/bin/env bash
# Ping round trip through the VPN for one or more node variants, alternated within one run, next to the
# bare veth of the same run. Prints a Markdown table.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VARIANTS=()
FAST_COUNT=2000
SLOW_COUNT=50
FAST_INTERVAL=0.005
SLOW_INTERVAL=0.1
# The first pings through a freshly started pair, before any warm-up: count and interval.
COLD_COUNT=100
COLD_INTERVAL=0.01
A_INDEX=1
B_INDEX=2
A_VPN_IP=10.0.0.1
B_VPN_IP=10.0.0.2

usage() {
    cat <<EOF
Usage: bench/latency.sh [OPTIONS]

Measures the ping round trip from node a to node b through the VPN (AES-128-GCM) and on the bare veth.
Round trips drift with the machine's load by more than two builds differ, so the variants take turns:
each of --trials rounds measures every variant once. Each measurement starts fresh nodes, warms them
with --seconds of iperf3 (the JIT compiles the data path under load, as in throughput.sh), then pings
fast (every 5 ms) and slow (every 0.1 s, as throughput.sh does). Before the warm-up, the first
$COLD_COUNT pings (every 10 ms) through the freshly connected pair measure the cold start. Each ping run
through the VPN also reports the CPU time both node processes used per ping (all their threads).

Options:
  --variant 'LABEL|NODE_CMD|OPTIONS'  a node variant (repeatable): a label, the node command (empty:
                                      --node-cmd) and extra node options [default: one variant, the
                                      node command without extra options]
  --count N                           fast pings per measurement [default: $FAST_COUNT]
  --fast-interval S                   seconds between fast pings [default: $FAST_INTERVAL]
  --slow-interval S                   seconds between slow pings [default: $SLOW_INTERVAL]
$BENCH_COMMON_USAGE
Defaults: --trials 3 --seconds 6.
EOF
}

parse_options() {
    BENCH_TRIALS=3
    BENCH_SECONDS=6
    while [[ $# -gt 0 ]]; do
        case $1 in
            -h | --help) usage; exit 0 ;;
            --variant) VARIANTS+=("$(bench_option_value "$@")"); shift 2 ;;
            --count) FAST_COUNT=$(bench_option_value "$@"); shift 2 ;;
            --fast-interval) FAST_INTERVAL=$(bench_option_value "$@"); shift 2 ;;
            --slow-interval) SLOW_INTERVAL=$(bench_option_value "$@"); shift 2 ;;
            *)
                bench_parse_common_option "$@" || bench_usage_error "unknown option $1"
                shift "$BENCH_SHIFT"
                ;;
        esac
    done
    bench_finish_options
    [[ $FAST_COUNT =~ ^[1-9][0-9]*$ ]] || bench_usage_error "--count must be a positive whole number"
    if [[ $BENCH_SMOKE == 1 ]]; then
        FAST_COUNT=50
        SLOW_COUNT=5
        COLD_COUNT=20
    fi
    [[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=("$BENCH_LABEL||")
}

# Per variant label: the average round trips (ms) of each round, cold, fast and slow, their minima (the *_MIN
# arrays), the CPU time of both nodes per ping (µs, the *_CPU arrays), and the warm-up throughput.
declare -A COLD_MS=() FAST_MS=() SLOW_MS=() COLD_MIN=() FAST_MIN=() SLOW_MIN=() COLD_CPU=() FAST_CPU=() SLOW_CPU=()
declare -A WARM_GBITS=() FAILED=()

# Pings COUNT times every INTERVAL seconds from a to ADDRESS; prints the average and the minimum in ms ("AVG MIN"),
# or nothing when ping printed no summary.
ping_ms() {
    local address=$1 count=$2 interval=$3 output=$4 average minimum
    bench_run ip netns exec "$(bench_ns a)" ping -q -c "$count" -i "$interval" -W 1 "$address" >"$output" 2>&1 \
        || true
    average=$(bench_ping_ms "$output" avg)
    minimum=$(bench_ping_ms "$output" min)
    if [[ -n $average && -n $minimum ]]; then
        printf '%s %s' "$average" "$minimum"
    fi
}

# CPU time of both nodes so far, in nanoseconds.
nodes_cpu_ns() {
    printf '%s' $(($(bench_cpu_ns "$(bench_pid a)") + $(bench_cpu_ns "$(bench_pid b)")))
}

# Like ping_ms through the VPN, with a third field: the CPU time both nodes used per ping in µs ("AVG MIN CPU"). It
# includes all their threads (control, JIT, GC): what carrying the pings costs the machine, next to what it takes.
ping_ms_cpu() {
    local count=$2 before result
    before=$(nodes_cpu_ns)
    result=$(ping_ms "$@")
    [[ -n $result ]] || return 0
    printf '%s %s' "$result" "$(bench_calc 'printf "%.0f", (after - before) / 1000 / count' \
        -v after="$(nodes_cpu_ns)" -v before="$before" -v count="$count")"
}

# One measurement of one variant: measure_variant LABEL|NODE_CMD|OPTIONS ROUND
measure_variant() {
    local label=${1%%|*} round=$2 json received cold fast slow
    if ! bench_start_variant_pair "$1" "$round" "$A_INDEX" "$A_VPN_IP" "$B_VPN_IP"; then
        FAILED[$label]=1
    else
        cold=$(ping_ms_cpu "$B_VPN_IP" "$COLD_COUNT" "$COLD_INTERVAL" "$BENCH_OUT/ping-cold-$label-$round.txt")
        json="$BENCH_OUT/iperf3-$label-$round.json"
        if bench_run timeout $((BENCH_SECONDS + 30)) ip netns exec "$(bench_ns a)" \
            iperf3 -c "$B_VPN_IP" -t "$BENCH_SECONDS" -J --connect-timeout 5000 >"$json" 2>&1 \
            && received=$(bench_iperf3_received "$json") && [[ -n $received ]]; then
            WARM_GBITS[$label]+="$(bench_calc 'printf "%.4f", b / 1e9' -v b="${received##* }") "
        fi
        fast=$(ping_ms_cpu "$B_VPN_IP" "$FAST_COUNT" "$FAST_INTERVAL" "$BENCH_OUT/ping-fast-$label-$round.txt")
        slow=$(ping_ms_cpu "$B_VPN_IP" "$SLOW_COUNT" "$SLOW_INTERVAL" "$BENCH_OUT/ping-slow-$label-$round.txt")
        if [[ -n $fast && -n $slow && -n $cold ]]; then
            record_run COLD "$label" $cold
            record_run FAST "$label" $fast
            record_run SLOW "$label" $slow
            bench_log "$label, round $round: average (minimum) ms, CPU µs per ping of both nodes: cold $cold," \
                "fast $fast, slow $slow"
        else
            FAILED[$label]=1
        fi
    fi
    bench_stop a
    bench_stop b
}

# Appends one ping run's figures to the arrays of KIND (COLD, FAST or SLOW): record_run KIND LABEL AVG MIN [CPU].
record_run() {
    local -n averages_of=${1}_MS minima_of=${1}_MIN cpu_of=${1}_CPU
    averages_of[$2]+="$3 "
    minima_of[$2]+="$4 "
    [[ -z ${5:-} ]] || cpu_of[$2]+="$5 "
}

measure_bare() {
    local round fast slow
    for ((round = 1; round <= BENCH_TRIALS; round++)); do
        fast=$(ping_ms "$(bench_underlay_ip $B_INDEX)" "$FAST_COUNT" "$FAST_INTERVAL" \
            "$BENCH_OUT/ping-fast-bare-$round.txt")
        slow=$(ping_ms "$(bench_underlay_ip $B_INDEX)" "$SLOW_COUNT" "$SLOW_INTERVAL" \
            "$BENCH_OUT/ping-slow-bare-$round.txt")
        [[ -n $fast && -n $slow ]] || { FAILED[bare]=1; return; }
        record_run FAST bare $fast
        record_run SLOW bare $slow
    done
}

# "0.352 ms (0.301–0.410)" from the samples, or "failed".
stats_cell() {
    local label=$1 samples=$2 unit=$3
    [[ -n $samples && -z ${FAILED[$label]:-} ]] || { printf 'failed'; return; }
    # shellcheck disable=SC2086 # one sample per word
    bench_stats $samples | awk -v unit="$unit" -v format="$([[ $unit == µs ]] && echo %.0f || echo %.3g)" \
        '{ printf format " %s (" format "–" format ")", $1, unit, $2, $3 }'
}

# The table of one figure: print_figure_table WHAT COLD FAST SLOW [UNIT], where COLD, FAST and SLOW name the arrays
# of it; UNIT is ms unless given (the bare veth has no nodes, so it only has figures in ms).
print_figure_table() {
    local what=$1 unit=${5:-ms} variant label
    local -n cold_of=$2 fast_of=$3 slow_of=$4
    printf '\n%s of each ping run; median of the %s rounds (min–max of the rounds):\n' "$what" "$BENCH_TRIALS"
    printf '\n| path | first %s pings of a fresh pair (every %s s) | ping every %s s (%s) | ping every %s s (%s) | warm-up iperf3 (%s s) |\n' \
        "$COLD_COUNT" "$COLD_INTERVAL" "$FAST_INTERVAL" "$FAST_COUNT" "$SLOW_INTERVAL" "$SLOW_COUNT" "$BENCH_SECONDS"
    printf '|---|---|---|---|---|\n'
    if [[ $unit == ms ]]; then
        printf '| bare veth | | %s | %s | |\n' "$(stats_cell bare "${fast_of[bare]:-}" ms)" \
            "$(stats_cell bare "${slow_of[bare]:-}" ms)"
    fi
    for variant in "${VARIANTS[@]}"; do
        label=${variant%%|*}
        printf '| %s | %s | %s | %s | %s |\n' "$label" "$(stats_cell "$label" "${cold_of[$label]:-}" "$unit")" \
            "$(stats_cell "$label" "${fast_of[$label]:-}" "$unit")" \
            "$(stats_cell "$label" "${slow_of[$label]:-}" "$unit")" \
            "$(stats_cell "$label" "${WARM_GBITS[$label]:-}" Gbit/s)"
    done
}

print_table() {
    bench_print_run_header "Round trip: two namespaces joined by veth and a bridge, TUN mode, AES-128-GCM"
    printf -- '- variants, in the order of each round: %s\n' "${VARIANTS[*]}"
    print_figure_table "Average round trip" COLD_MS FAST_MS SLOW_MS
    print_figure_table "Minimum round trip" COLD_MIN FAST_MIN SLOW_MIN
    print_figure_table "CPU time of both node processes per ping (all their threads)" COLD_CPU FAST_CPU SLOW_CPU µs
}

main() {
    local round variant
    parse_options "$@"
    BENCH_DEFAULT_NODE_CMD_CHOSEN=$BENCH_NODE_CMD
    bench_begin latency
    bench_create_pair $A_INDEX $B_INDEX
    bench_start_in_ns iperf3-server "$(bench_ns b)" "$BENCH_OUT/iperf3-server.log" iperf3 -s
    bench_require_bare_veth $B_INDEX
    bench_wait_until 10 "the iperf3 server" bench_listening b tcp 5201 || bench_die "iperf3 -s did not start"
    measure_bare
    for ((round = 1; round <= BENCH_TRIALS; round++)); do
        for variant in "${VARIANTS[@]}"; do
            measure_variant "$variant" "$round"
        done
    done
    BENCH_NODE_CMD=$BENCH_DEFAULT_NODE_CMD_CHOSEN
    print_table
    [[ ${#FAILED[@]} == 0 ]] || bench_die "some measurements failed: ${!FAILED[*]}"
}

main "$@"
