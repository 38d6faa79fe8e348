#!/usr/bin/env bash
# Resident memory, start-up time and throughput of node variants side by side in one run: the time from
# launch to a configured TUN device, resident memory when idle, during iperf3 and during a flood of
# malformed datagrams, and the iperf3 throughput. Prints a Markdown table.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VARIANTS=()
PREVIOUS_REV=
PREVIOUS_DIR=
IDLE_SECONDS=10
A_INDEX=1
B_INDEX=2
A_VPN_IP=10.0.0.1
B_VPN_IP=10.0.0.2
# Goals for the product command, printed next to the measurements.
GOAL_STARTUP_MS=300
GOAL_IDLE_MB=56
GOAL_LOADED_MB=96

usage() {
    cat <<EOF
Usage: bench/footprint.sh [OPTIONS]

Measures for each node variant, the variants taking turns within each of --trials rounds:
  - start-up: milliseconds from launching the node command to its TUN device being up with its address;
  - resident memory (VmRSS of the node process, the larger of the two nodes) after --idle seconds
    without traffic, and its peak (sampled every 0.2 s) during --seconds of iperf3 and during
    --seconds of a flood of malformed datagrams (random bytes, 1400 per datagram, from two senders)
    at the listening node's UDP port;
  - the iperf3 throughput through the VPN (AES-128-GCM), and whether the node still forwards after the
    flood.

Options:
  --variant 'LABEL|NODE_CMD'  a node command to measure (repeatable; an empty NODE_CMD is --node-cmd)
                              [default: one variant, "this build", --node-cmd]
  --previous REV              also measure the build of git revision REV of this repository, first in each
                              round: checked out in a temporary worktree in /tmp, built with Maven (its
                              bin/vpncloud), removed at the end
  --idle S                    seconds without traffic before the idle measurement [default: 10]
$BENCH_COMMON_USAGE
Defaults: --trials 3 --seconds 10.
EOF
}

parse_options() {
    BENCH_TRIALS=3
    BENCH_SECONDS=10
    while [[ $# -gt 0 ]]; do
        case $1 in
            -h | --help) usage; exit 0 ;;
            --variant) VARIANTS+=("$(bench_option_value "$@")"); shift 2 ;;
            --previous) PREVIOUS_REV=$(bench_option_value "$@"); shift 2 ;;
            --idle) IDLE_SECONDS=$(bench_option_value "$@"); shift 2 ;;
            *)
                bench_parse_common_option "$@" || bench_usage_error "unknown option $1"
                shift "$BENCH_SHIFT"
                ;;
        esac
    done
    bench_finish_options
    [[ $BENCH_SMOKE == 1 ]] && IDLE_SECONDS=2
    [[ $IDLE_SECONDS =~ ^[1-9][0-9]*$ ]] || bench_usage_error "--idle must be a positive whole number"
    [[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=("this build|$BENCH_NODE_CMD")
}

# Checks REV out into a temporary worktree, builds its vpncloud command and puts it first among the variants.
add_previous_build() {
    local rev=$1 tree module
    PREVIOUS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vcbench-previous.XXXXXX")
    tree="$PREVIOUS_DIR/tree"
    git -C "$BENCH_REPO_ROOT" worktree add --detach "$tree" "$rev" >&2 || bench_die "cannot check out $rev"
    module=vpncloud-cli
    [[ -d $tree/$module ]] || module=vpncloud-examples # before the command had a module of its own
    bench_log "building $rev ($module) in $tree"
    (cd "$tree" && mvn -B -ntp -q -DskipTests package -pl "$module" -am) >&2 || bench_die "building $rev failed"
    VARIANTS=("previous build ($rev)|$tree/$module/bin/vpncloud" "${VARIANTS[@]}")
}

remove_previous_build() {
    [[ -n $PREVIOUS_DIR ]] || return 0
    git -C "$BENCH_REPO_ROOT" worktree remove --force "$PREVIOUS_DIR/tree" 2>/dev/null || true
    rm -rf "$PREVIOUS_DIR"
    PREVIOUS_DIR=
}

# Per variant label: the samples of every round (one number per round).
declare -A STARTUP_MS=() IDLE_KB=() IPERF_KB=() FLOOD_KB=() GBITS=() THREADS=() FAILED=()

vpn_ready() {
    bench_require_alive a b || return
    bench_can_ping a "$B_VPN_IP"
}

# The TUN device of namespace NAME is up and has its address.
device_configured() {
    [[ $(ip -n "$(bench_ns "$1")" -o -4 addr show dev "$BENCH_DEVICE" up 2>/dev/null) == *"inet $2/"* ]]
}

# Launches node a and sets STARTUP to the milliseconds until its device is up with its address (bounded
# to 10 s), polling as fast as ip allows (a few milliseconds per call).
start_a_and_time_device() {
    local start end deadline
    start=$(bench_now_ms)
    bench_start_node a "$@" --ip "$A_VPN_IP/24"
    deadline=$((start + 10000))
    until device_configured a "$A_VPN_IP"; do
        end=$(bench_now_ms)
        ((end < deadline)) && bench_alive a || return 1
    done
    end=$(bench_now_ms)
    STARTUP=$((end - start))
}

rss_kb() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

# Samples the resident memory of PIDS every 0.2 s until the file STOP exists; prints the peak in kB.
peak_rss_kb() {
    local stop=$1 peak=0 pid rss
    shift
    while [[ ! -e $stop ]]; do
        for pid in "$@"; do
            rss=$(rss_kb "$pid")
            ((rss > peak)) && peak=$rss
        done
        sleep 0.2
    done
    printf '%s' "$peak"
}

# Runs CMD... while sampling the resident memory of both nodes; prints the peak in kB.
peak_rss_during() {
    local stop peak_file pids sampler
    stop=$(mktemp -u "$BENCH_OUT/stop.XXXXXX")
    peak_file=$(mktemp "$BENCH_OUT/peak.XXXXXX")
    pids=("$(bench_target_pid a)" "$(bench_target_pid b)")
    peak_rss_kb "$stop" "${pids[@]}" >"$peak_file" &
    sampler=$!
    "$@" || true
    touch "$stop"
    wait "$sampler"
    cat "$peak_file"
    rm -f "$stop" "$peak_file"
}

run_iperf3() {
    bench_run timeout $((BENCH_SECONDS + 30)) ip netns exec "$(bench_ns a)" \
        iperf3 -c "$B_VPN_IP" -t "$BENCH_SECONDS" -J --connect-timeout 5000 >"$1" 2>&1
}

# Random bytes at node a's port from namespace b: two senders, 1400 bytes per datagram.
flood_a() {
    local i senders=()
    for i in 1 2; do
        timeout "$BENCH_SECONDS" ip netns exec "$(bench_ns b)" socat -u -b 1400 OPEN:/dev/urandom \
            "UDP-SENDTO:$(bench_underlay_ip $A_INDEX):$BENCH_VPN_PORT" 2>/dev/null &
        senders+=("$!")
    done
    wait "${senders[@]}" || true # only the senders: the memory sampler runs in the background too
}

record() {
    local -n samples=$1
    samples[$2]+="$3 "
}

# The node command of a variant LABEL|NODE_CMD (an empty one is --node-cmd).
variant_command() {
    local command=${1#*|}
    printf '%s' "${command:-$BENCH_DEFAULT_NODE_CMD_CHOSEN}"
}

# One round of one variant: measure_variant LABEL|NODE_CMD ROUND
measure_variant() {
    local label round=$2 common json received idle pid_a pid_b
    label=${1%%|*}
    BENCH_NODE_CMD=$(variant_command "$1")
    bench_log "$label, round $round: $BENCH_NODE_CMD"
    common=(--password "$BENCH_PASSWORD" --algorithm aes128 -d "$BENCH_DEVICE" -l "$BENCH_VPN_PORT")
    if ! start_a_and_time_device "${common[@]}"; then
        bench_log "$label: node a did not configure its device within 10 s"
        bench_show_log a
        FAILED[$label]=1
        bench_stop a
        return
    fi
    record STARTUP_MS "$label" "$STARTUP"
    bench_start_node b "${common[@]}" --ip "$B_VPN_IP/24" -c "$(bench_underlay_ip $A_INDEX):$BENCH_VPN_PORT"
    if ! bench_wait_until 60 "a ping from a to $B_VPN_IP through the VPN" vpn_ready; then
        bench_show_log a
        bench_show_log b
        FAILED[$label]=1
    else
        pid_a=$(bench_target_pid a)
        pid_b=$(bench_target_pid b)
        sleep "$IDLE_SECONDS"
        idle=$(rss_kb "$pid_a")
        (($(rss_kb "$pid_b") > idle)) && idle=$(rss_kb "$pid_b")
        record IDLE_KB "$label" "$idle"
        record THREADS "$label" "$(ls "/proc/$pid_a/task" | wc -l)"
        json="$BENCH_OUT/iperf3-$label-$round.json"
        record IPERF_KB "$label" "$(peak_rss_during run_iperf3 "$json")"
        if received=$(bench_iperf3_received "$json") && [[ -n $received ]]; then
            record GBITS "$label" "$(bench_calc 'printf "%.4f", b / 1e9' -v b="${received##* }")"
        else
            bench_log "$label: iperf3 failed; see $json"
            FAILED[$label]=1
        fi
        record FLOOD_KB "$label" "$(peak_rss_during flood_a)"
        if ! bench_wait_until 10 "a ping through the VPN after the flood" vpn_ready; then
            bench_log "$label: the VPN does not forward after the flood"
            bench_show_log a
            FAILED[$label]=1
        fi
        bench_log "$label, round $round: start-up $STARTUP ms, idle $idle kB"
    fi
    bench_stop a
    bench_stop b
}

# "52.1 MB (50.3–53.0)" from kB samples with scale 1000, format %.1f and unit " MB".
stats_cell() {
    local label=$1 samples=$2 scale=$3 format=$4 unit=$5
    [[ -n $samples && -z ${FAILED[$label]:-} ]] || { printf 'failed'; return; }
    # shellcheck disable=SC2086 # one sample per word
    bench_stats $samples | awk -v s="$scale" -v f="$format" -v unit="$unit" \
        '{ printf f unit " (" f "–" f ")", $1 / s, $2 / s, $3 / s }'
}

# table_row MEASURE GOAL SAMPLES_ARRAY SCALE FORMAT UNIT
table_row() {
    local what=$1 goal=$2 samples_name=$3 scale=$4 format=$5 unit=$6 variant label
    local -n samples=$samples_name
    printf '| %s |' "$what"
    for variant in "${VARIANTS[@]}"; do
        label=${variant%%|*}
        printf ' %s |' "$(stats_cell "$label" "${samples[$label]:-}" "$scale" "$format" "$unit")"
    done
    printf ' %s |\n' "$goal"
}

print_table() {
    local variant
    bench_print_run_header "Footprint: two namespaces joined by veth and a bridge, TUN mode, AES-128-GCM"
    printf -- '- variants, in the order of each round:'
    for variant in "${VARIANTS[@]}"; do
        printf ' %s (`%s`);' "${variant%%|*}" "$(variant_command "$variant")"
    done
    printf '\n'
    printf -- '- median of %s rounds (min–max); MB = 10^6 bytes; iperf3 and flood %s s each, idle after %s s\n' \
        "$BENCH_TRIALS" "$BENCH_SECONDS" "$IDLE_SECONDS"
    printf '\n| measure |'
    for variant in "${VARIANTS[@]}"; do printf ' %s |' "${variant%%|*}"; done
    printf ' goal |\n|---|'
    for variant in "${VARIANTS[@]}"; do printf -- '---|'; done
    printf -- '---|\n'
    table_row "launch to TUN device up" "≤ $GOAL_STARTUP_MS ms" STARTUP_MS 1 %.0f " ms"
    table_row "resident memory, idle" "≤ $GOAL_IDLE_MB MB" IDLE_KB 1000 %.1f " MB"
    table_row "peak resident memory, iperf3" "≤ $GOAL_LOADED_MB MB" IPERF_KB 1000 %.1f " MB"
    table_row "peak resident memory, malformed flood" "≤ $GOAL_LOADED_MB MB" FLOOD_KB 1000 %.1f " MB"
    table_row "TCP throughput (iperf3)" "within 10 % of the previous build" GBITS 1 %.2f " Gbit/s"
    table_row "threads of the idle node" "" THREADS 1 %.0f ""
}

main() {
    local round variant
    parse_options "$@"
    BENCH_DEFAULT_NODE_CMD_CHOSEN=$BENCH_NODE_CMD
    bench_begin footprint
    trap 'bench_teardown 2>&8; remove_previous_build 2>&8' EXIT
    [[ -z $PREVIOUS_REV ]] || add_previous_build "$PREVIOUS_REV"
    bench_create_pair $A_INDEX $B_INDEX
    bench_start_in_ns iperf3-server "$(bench_ns b)" "$BENCH_OUT/iperf3-server.log" iperf3 -s
    bench_wait_until 10 "the iperf3 server" bench_listening b tcp 5201 || bench_die "iperf3 -s did not start"
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
