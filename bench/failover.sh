#!/usr/bin/env bash
# Failover of the high-availability tutorial: server-a and server-b both claim 10.0.0.1, a client
# probes 10.0.0.1:8000 continuously; the active server is killed (kill -9), stopped (SIGTERM) or its
# host "crashes" (its link is cut, then the process is killed: no ICMP error can come back) and the time
# until the other server answers is measured. Prints a Markdown table.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODES=(kill term)
TIMER_SETS=(standard)
declare -A TIMERS=(
    [standard]="--peer-timeout 5 --keepalive 2"
    [subsecond]="--peer-timeout 500ms --keepalive 100ms"
)
declare -A TIMEOUT_SECONDS=([standard]=5 [subsecond]=1) # the peer timeout, rounded up
declare -A MODE_SIGNAL=([kill]=KILL [term]=TERM [host]=KILL)
declare -A MODE_TEXT=([kill]="failover after kill -9 of the active server" [term]="switch after SIGTERM of the active server"
    [host]="failover after a host crash of the active server (link cut, no ICMP)")

SERVERS=(server-a server-b)
declare -A INDEX=([server-a]=1 [server-b]=2 [client]=3)
# Each server also claims an address of its own, so the harness can tell when a restarted server is
# connected to the client again, without disturbing the shared 10.0.0.1. The address sits on the
# server namespace's loopback device, not on the node's TUN device, whose set-up is the node's alone.
declare -A OWN_IP=([server-a]=10.0.0.11 [server-b]=10.0.0.12)
SHARED_IP=10.0.0.1
CLIENT_IP=10.0.0.100
HOSTNAME_PORT=8000
PROBE_INTERVAL=0.05
PROBE_LOG=
SERVER_CMD= # --server-cmd: another node command for the two servers
CLIENT_CMD= # --client-cmd: another node command for the client

usage() {
    cat <<EOF
Usage: bench/failover.sh [OPTIONS]

The high-availability tutorial in three network namespaces (server-a, server-b, client) joined by
veth pairs and a bridge: both servers claim $SHARED_IP and run a hostname server on port $HOSTNAME_PORT;
the client probes $SHARED_IP:$HOSTNAME_PORT every ${PROBE_INTERVAL} s. Each trial waits --seconds of steady
probing, then kills (kill -9) or stops (SIGTERM) the server that answers, or crashes its host (its
link to the bridge goes down, then the process is killed, so no ICMP error comes back), and measures
the time from the signal to the first probe answered by the other server; the stopped server is then
restarted (the client stays on the other one, so the next trial stops the other server).

Options:
  --modes LIST   comma-separated: kill, term, host [default: kill,term]
  --subsecond    also measure with sub-second timers (${TIMERS[subsecond]}),
                 which only this project's nodes accept
  --server-cmd PATH  run the two servers with this VpnCloud-compatible command instead of --node-cmd
                 (for example a VpnCloud 2.3 binary: a mixed set-up, the client stays on --node-cmd)
  --client-cmd PATH  run the client with this command instead of --node-cmd
                 A namespace whose node is VpnCloud 2.x (by its --version) gets a default route over its
                 veth: VpnCloud 2.x finds its own address with a route lookup towards a public address
                 (it sends nothing there) and stops when there is no route.
$BENCH_COMMON_USAGE
Defaults: --trials 5 --seconds 3. Timers: ${TIMERS[standard]}.
EOF
}

parse_options() {
    BENCH_TRIALS=5
    BENCH_SECONDS=3
    while [[ $# -gt 0 ]]; do
        case $1 in
            -h | --help) usage; exit 0 ;;
            --modes)
                IFS=, read -r -a MODES <<<"$(bench_option_value "$@")"
                shift 2
                ;;
            --subsecond) TIMER_SETS=(standard subsecond); shift ;;
            --server-cmd) SERVER_CMD=$(bench_option_value "$@"); shift 2 ;;
            --client-cmd) CLIENT_CMD=$(bench_option_value "$@"); shift 2 ;;
            *)
                bench_parse_common_option "$@" || bench_usage_error "unknown option $1"
                shift "$BENCH_SHIFT"
                ;;
        esac
    done
    local mode
    for mode in "${MODES[@]}"; do
        [[ -n ${MODE_SIGNAL[$mode]:-} ]] || bench_usage_error "unknown mode $mode (kill, term or host)"
    done
    local cmd
    for cmd in "$SERVER_CMD" "$CLIENT_CMD"; do
        [[ -z $cmd || -x $cmd ]] || bench_usage_error "$cmd is not an executable file"
    done
    bench_finish_options
}

# The node command of NAME: --server-cmd or --client-cmd when given, else --node-cmd.
node_cmd_of() {
    case $1 in
        client) printf '%s' "${CLIENT_CMD:-$BENCH_NODE_CMD}" ;;
        *) printf '%s' "${SERVER_CMD:-$BENCH_NODE_CMD}" ;;
    esac
}

# Succeeds when the node command CMD is VpnCloud 2.x (its --version says "VpnCloud v2...").
is_vpncloud_2() {
    [[ $("$1" --version 2>/dev/null) == "VpnCloud v2."* ]]
}

# A default route for the namespaces whose node is VpnCloud 2.x (see --server-cmd).
add_default_routes() {
    local name
    for name in "${SERVERS[@]}" client; do
        if is_vpncloud_2 "$(node_cmd_of "$name")"; then
            ip -n "$(bench_ns "$name")" route add default dev veth0
        fi
    done
}

other_server() {
    [[ $1 == server-a ]] && printf 'server-b' || printf 'server-a'
}

server_args() {
    local server=$1 timer_set=$2 other
    other=$(other_server "$server")
    # shellcheck disable=SC2086 # the timer options are several words
    printf '%s\n' --password "$BENCH_PASSWORD" --ip "$SHARED_IP/24" --claim "${OWN_IP[$server]}/32" \
        -l "$BENCH_VPN_PORT" -d "$BENCH_DEVICE" -c "$(bench_underlay_ip "${INDEX[$other]}"):$BENCH_VPN_PORT" \
        ${TIMERS[$timer_set]}
}

start_server() {
    local server=$1 timer_set=$2 args
    mapfile -t args < <(server_args "$server" "$timer_set")
    BENCH_NODE_CMD=$(node_cmd_of "$server") bench_start_node "$server" "${args[@]}"
}

start_client() {
    local timer_set=$1
    # shellcheck disable=SC2086 # the timer options are several words
    BENCH_NODE_CMD=$(node_cmd_of client) bench_start_node client --password "$BENCH_PASSWORD" --ip "$CLIENT_IP/24" -l "$BENCH_VPN_PORT" \
        -d "$BENCH_DEVICE" -c "$(bench_underlay_ip "${INDEX[server-a]}"):$BENCH_VPN_PORT" \
        -c "$(bench_underlay_ip "${INDEX[server-b]}"):$BENCH_VPN_PORT" ${TIMERS[$timer_set]}
}

# Succeeds when the client reaches SERVER's own address through the VPN.
server_reachable() {
    bench_require_alive "$1" client || return
    bench_can_ping client "${OWN_IP[$1]}"
}

# Waits until SERVER is connected to the client.
wait_server_ready() {
    local server=$1
    if bench_wait_until 60 "a ping from the client to $server (${OWN_IP[$server]})" server_reachable "$server"; then
        return 0
    fi
    bench_show_log "$server"
    bench_show_log client
    return 1
}

# The name in the newest answered probe (by answer time), or nothing.
last_answer() {
    awk '$3 != "none" && $2 >= newest { newest = $2; name = $3 } END { print name }' "$PROBE_LOG"
}

# The answer time of the first probe answered by NAME after the time MS, or nothing.
first_answer_after() {
    awk -v after="$1" -v name="$2" '$3 == name && $2 > after && (first == "" || $2 < first) { first = $2 }
        END { print first }' "$PROBE_LOG"
}

answered_after() {
    [[ -n $(first_answer_after "$1" "$2") ]]
}

start_prober() {
    local timer_set=$1 max_seconds
    # generous: every trial can last its steady time, the peer timeout, the 60 s limits and a restart
    max_seconds=$((${#MODES[@]} * BENCH_TRIALS * (BENCH_SECONDS + ${TIMEOUT_SECONDS[$timer_set]} + 150) + 120))
    PROBE_LOG="$BENCH_OUT/probes-$timer_set.log"
    : >"$PROBE_LOG"
    # shellcheck disable=SC2016 # the inner shell expands its own arguments
    bench_start_in_ns "prober" "$(bench_ns client)" "$BENCH_OUT/prober.log" bash -c \
        'source "$1"; shift; bench_probe_loop "$@"' prober "$BENCH_DIR/lib.sh" \
        "$PROBE_LOG" "$SHARED_IP" "$HOSTNAME_PORT" "$PROBE_INTERVAL" "$max_seconds"
}

declare -A FAILOVER_SECONDS=() FAILED=()

# One trial: steady probing, the signal to the active server, the wait for the other, the restart.
run_trial() {
    local timer_set=$1 mode=$2 restart=$3 key="$1 $2" active other signal_ms answer_ms seconds
    bench_run sleep "$BENCH_SECONDS" # steady probing, so the signal falls at a random point of the timers
    active=$(last_answer)
    [[ -n $active ]] || { bench_log "no probe answered before the signal"; FAILED[$key]=1; return 1; }
    other=$(other_server "$active")
    signal_ms=$(bench_now_ms)
    if [[ $mode == host ]]; then
        # The host is gone for the others before its process dies: its kernel can report nothing.
        ip -n "$BENCH_HUB_NS" link set "v-$active" down
    fi
    bench_signal "$active" "${MODE_SIGNAL[$mode]}" || bench_log "$active had stopped before the signal"
    if bench_wait_until $((${TIMEOUT_SECONDS[$timer_set]} + 20)) "$other to answer" answered_after "$signal_ms" "$other"; then
        answer_ms=$(first_answer_after "$signal_ms" "$other")
        seconds=$(bench_calc 'printf "%.3f", (a - s) / 1000' -v a="$answer_ms" -v s="$signal_ms")
        FAILOVER_SECONDS[$key]+="$seconds "
        bench_log "$timer_set $mode: $active -> $other in $seconds s"
    else
        FAILED[$key]=1
    fi
    bench_wait_exit "$active" 15 || FAILED[$key]=1
    if [[ $mode == host ]]; then
        ip -n "$BENCH_HUB_NS" link set "v-$active" up
    fi
    if [[ $restart == 1 ]]; then
        start_server "$active" "$timer_set"
        wait_server_ready "$active" || { FAILED[$key]=1; return 1; }
    fi
}

measure_timer_set() {
    local timer_set=$1 mode trial remaining server
    bench_log "timers ${TIMERS[$timer_set]}: starting server-a, server-b and the client"
    for server in "${SERVERS[@]}"; do
        start_server "$server" "$timer_set"
    done
    start_client "$timer_set"
    for server in "${SERVERS[@]}"; do
        wait_server_ready "$server" || { FAILED["$timer_set start"]=1; stop_all; return 0; }
    done
    start_prober "$timer_set"
    bench_wait_until 30 "the first probe answer" last_answer_is_set \
        || { bench_show_log prober; FAILED["$timer_set start"]=1; stop_all; return 0; }
    remaining=$((${#MODES[@]} * BENCH_TRIALS))
    for mode in "${MODES[@]}"; do
        for ((trial = 1; trial <= BENCH_TRIALS; trial++)); do
            remaining=$((remaining - 1))
            run_trial "$timer_set" "$mode" $((remaining > 0 ? 1 : 0)) || break 2
        done
    done
    stop_all
}

last_answer_is_set() {
    [[ -n $(last_answer) ]]
}

stop_all() {
    local name
    for name in prober "${SERVERS[@]}" client; do
        [[ -n ${BENCH_PIDS[$name]:-} ]] && bench_stop "$name"
    done
    return 0
}

start_hostname_servers() {
    local server
    for server in "${SERVERS[@]}"; do
        bench_start_in_ns "hostname-$server" "$(bench_ns "$server")" "$BENCH_OUT/hostname-$server.log" \
            socat -T 2 "TCP-LISTEN:$HOSTNAME_PORT,reuseaddr,fork" "SYSTEM:echo $server"
        bench_wait_until 10 "the hostname server of $server" bench_listening "$server" tcp "$HOSTNAME_PORT" \
            || bench_die "socat did not start in $server"
    done
}

# "median 4.9 s (4.3–5.5)" from the trials of KEY, or "failed".
failover_cell() {
    local samples=${FAILOVER_SECONDS[$1]:-}
    [[ -n $samples && -z ${FAILED[$1]:-} ]] || { printf 'failed'; return; }
    # shellcheck disable=SC2086 # one sample per word
    bench_stats $samples | awk '{ printf "median %.2f s (%.2f–%.2f)", $1, $2, $3 }'
}

print_table() {
    local timer_set mode trials="$BENCH_TRIALS trials"
    [[ $BENCH_TRIALS == 1 ]] && trials="1 trial"
    bench_print_run_header "Failover: server-a and server-b claim $SHARED_IP, the client probes it every ${PROBE_INTERVAL} s"
    printf -- '- servers: %s\n- client: %s\n' "$(node_cmd_of server-a)" "$(node_cmd_of client)"
    printf '\n| measure | %s |\n|---|---|\n' "$BENCH_LABEL"
    for timer_set in "${TIMER_SETS[@]}"; do
        for mode in "${MODES[@]}"; do
            printf '| %s, %s (%s) | %s |\n' "${MODE_TEXT[$mode]}" "${TIMERS[$timer_set]}" \
                "$trials" "$(failover_cell "$timer_set $mode")"
        done
    done
}

main() {
    local server timer_set
    parse_options "$@"
    bench_begin failover
    bench_create_hub
    for server in "${SERVERS[@]}" client; do
        bench_create_node_ns "$server" "${INDEX[$server]}"
    done
    for server in "${SERVERS[@]}"; do
        ip -n "$(bench_ns "$server")" addr add "${OWN_IP[$server]}/32" dev lo
    done
    add_default_routes
    start_hostname_servers
    for timer_set in "${TIMER_SETS[@]}"; do
        measure_timer_set "$timer_set"
    done
    print_table
    [[ ${#FAILED[@]} == 0 ]] || bench_die "some measurements failed: ${!FAILED[*]}"
}

main "$@"
