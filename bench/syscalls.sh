#!/usr/bin/env bash
# System calls per ping through the VPN, per node and per thread, for one or more node variants, counted by the
# kernel's system-call tracepoint (perf stat): what a ping costs in kernel entries on each side. Prints a
# Markdown table.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VARIANTS=()
COUNT=300
INTERVAL=0.01
WARM_COUNT=2000
WARM_INTERVAL=0.002
A_INDEX=1
B_INDEX=2
A_VPN_IP=10.0.0.1
B_VPN_IP=10.0.0.2
# The system calls named in the table; every other one counts in the total only.
NAMED=(recvmmsg recvfrom read write poll epoll_wait sendmsg sendto futex)

usage() {
    cat <<EOF
Usage: bench/syscalls.sh [OPTIONS]

Counts the system calls of both nodes while node a's namespace pings node b through the VPN (AES-128-GCM):
--count pings --interval seconds apart, after $WARM_COUNT warm-up pings $WARM_INTERVAL s apart. Reports
them per ping, for each node (all its threads, the JVM's own included) and for each thread that made at
least 0.05 per ping. The variants take turns, one round each per --trials.

Options:
  --variant 'LABEL|NODE_CMD|OPTIONS'  a node variant (repeatable): a label, the node command (empty:
                                      --node-cmd) and extra node options [default: one variant, the
                                      node command without extra options]
  --count N                           pings counted [default: $COUNT]
  --interval S                        seconds between them [default: $INTERVAL]
$BENCH_COMMON_USAGE
Defaults: --trials 1. Needs perf (Debian package linux-perf) and mounts tracefs when it is not mounted.
EOF
}

parse_options() {
    BENCH_TRIALS=1
    BENCH_SECONDS=1 # unused; the counts are set by --count and --interval
    while [[ $# -gt 0 ]]; do
        case $1 in
            -h | --help) usage; exit 0 ;;
            --variant) VARIANTS+=("$(bench_option_value "$@")"); shift 2 ;;
            --count) COUNT=$(bench_option_value "$@"); shift 2 ;;
            --interval) INTERVAL=$(bench_option_value "$@"); shift 2 ;;
            *)
                bench_parse_common_option "$@" || bench_usage_error "unknown option $1"
                shift "$BENCH_SHIFT"
                ;;
        esac
    done
    bench_finish_options
    [[ $COUNT =~ ^[1-9][0-9]*$ ]] || bench_usage_error "--count must be a positive whole number"
    [[ $INTERVAL =~ ^[0-9]*\.?[0-9]+$ ]] || bench_usage_error "--interval must be a number of seconds"
    if [[ ${#VARIANTS[@]} == 0 ]]; then
        VARIANTS=("$BENCH_LABEL||")
    fi
}

ensure_perf() {
    command -v perf >/dev/null 2>&1 || bench_die "perf is missing (Debian package linux-perf)"
    if [[ ! -d /sys/kernel/tracing/events/raw_syscalls ]]; then
        mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null \
            || bench_die "the kernel's tracing file system could not be mounted on /sys/kernel/tracing"
    fi
}

# The perf events: all system calls, and each named one.
events() {
    local name list=raw_syscalls:sys_enter
    for name in "${NAMED[@]}"; do
        [[ -d /sys/kernel/tracing/events/syscalls/sys_enter_$name ]] && list+=",syscalls:sys_enter_$name"
    done
    printf '%s' "$list"
}

# "thread,event,count" lines from perf's per-thread CSV output, counted threads only.
perf_counts() {
    awk -F, '$2 ~ /^[0-9]+$/ && $2 > 0 { thread = $1; sub(/-[0-9]+$/, "", thread); n = split($4, e, ":");
        event = e[n]; sub(/^sys_enter_?/, "", event); if (event == "") event = "all";
        print thread "," event "," $2 }' "$1"
}

# One round of one variant: measure_variant LABEL|NODE_CMD|OPTIONS ROUND
measure_variant() {
    local label=${1%%|*} round=$2 name pid perf_pids=() output
    if ! bench_start_variant_pair "$1" "$round" "$A_INDEX" "$A_VPN_IP" "$B_VPN_IP"; then
        FAILED[$label]=1
    else
        bench_run ip netns exec "$(bench_ns a)" ping -q -c "$WARM_COUNT" -i "$WARM_INTERVAL" -W 1 "$B_VPN_IP" \
            >"$BENCH_OUT/ping-warm-$label-$round.txt" 2>&1 || true
        for name in a b; do
            pid=$(bench_target_pid "$name")
            perf stat -e "$(events)" --per-thread -x, -o "$BENCH_OUT/perf-$label-$round-$name.csv" -p "$pid" &
            perf_pids+=($!)
        done
        sleep 1 # perf attaches to every thread; what it misses at first would be counted as nothing
        output="$BENCH_OUT/ping-$label-$round.txt"
        bench_run ip netns exec "$(bench_ns a)" ping -q -c "$COUNT" -i "$INTERVAL" -W 1 "$B_VPN_IP" \
            >"$output" 2>&1 || true
        kill -INT "${perf_pids[@]}"
        wait "${perf_pids[@]}" 2>/dev/null || true
        RECEIVED[$label]+="$(awk '/packets transmitted/ { print $4 }' "$output") "
        for name in a b; do
            perf_counts "$BENCH_OUT/perf-$label-$round-$name.csv" | sed "s/^/$name,/" \
                >>"$BENCH_OUT/counts-$label.csv"
        done
    fi
    bench_stop a
    bench_stop b
}

# The table of one variant's counts, per ping over all its rounds.
print_variant() {
    local label=$1 pings=0 count
    for count in ${RECEIVED[$label]:-}; do
        pings=$((pings + count))
    done
    if [[ -n ${FAILED[$label]:-} || $pings == 0 ]]; then
        printf '| %s | failed | | |\n' "$label"
        return
    fi
    # node,thread,event,count -> per node: all; per thread (>= 0.05 per ping): all and the named ones.
    awk -F, -v label="$label" -v pings="$pings" -v named="${NAMED[*]}" '
        { total[$1 "," $2 "," $3] += $4; threads[$1 "," $2] = 1; if ($3 == "all") node[$1] += $4 }
        END {
            split(named, order, " ")
            for (n = 1; n <= 2; n++) {
                name = n == 1 ? "a" : "b"
                shown = 0
                for (key in threads) {
                    split(key, part, ",")
                    if (part[1] != name || total[key ",all"] / pings < 0.05) continue
                    detail = ""
                    for (i = 1; i <= length(order); i++) {
                        value = total[key "," order[i]] / pings
                        if (value >= 0.05) detail = detail sprintf(" %s %.2f", order[i], value)
                    }
                    shown++
                    count[shown] = total[key ",all"] / pings
                    text[shown] = sprintf("%s %.2f%s", part[2], count[shown],
                        detail == "" ? "" : " (" substr(detail, 2) ")")
                }
                line = ""
                for (i = 1; i <= shown; i++) { # the busiest thread first
                    best = 0
                    for (j = 1; j <= shown; j++) if (!(j in used) && (best == 0 || count[j] > count[best])) best = j
                    used[best] = 1
                    line = line (line == "" ? "" : "; ") text[best]
                }
                delete used
                cell[name] = sprintf("%.2f | %s", node[name] / pings, line)
            }
            printf "| %s | %.2f | %s | %s |\n", label, (node["a"] + node["b"]) / pings, cell["a"], cell["b"]
        }' "$BENCH_OUT/counts-$label.csv"
}

print_table() {
    local variant
    bench_print_run_header "System calls per ping: two namespaces joined by veth and a bridge, TUN mode, AES-128-GCM"
    printf -- '- variants, in the order of each round: %s\n' "${VARIANTS[*]}"
    printf -- '- %s pings %s s apart per round, after %s warm-up pings %s s apart; %s round(s)\n' "$COUNT" \
        "$INTERVAL" "$WARM_COUNT" "$WARM_INTERVAL" "$BENCH_TRIALS"
    printf '\nSystem calls per ping (all threads of the process, the JVM'"'"'s own included; threads with at least 0.05):\n'
    printf '\n| variant | both nodes | node a (pings) | its threads | node b (answers) | its threads |\n'
    printf '|---|---|---|---|---|---|\n'
    for variant in "${VARIANTS[@]}"; do
        print_variant "${variant%%|*}"
    done
}

main() {
    local round variant
    declare -gA FAILED=() RECEIVED=()
    parse_options "$@"
    BENCH_DEFAULT_NODE_CMD_CHOSEN=$BENCH_NODE_CMD
    ensure_perf
    bench_begin syscalls
    bench_create_pair $A_INDEX $B_INDEX
    bench_require_bare_veth $B_INDEX
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
