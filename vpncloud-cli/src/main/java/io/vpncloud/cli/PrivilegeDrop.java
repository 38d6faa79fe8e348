package io.vpncloud.cli;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code --user} / {@code --group}: once the TUN device and the UDP socket are open, the process gives up root, as
 * the reference does. The open device and socket keep working; what needs root later (creating devices, binding
 * low ports, writing to root's files) does not. Order matters: supplementary groups and the gid first, the uid last,
 * since a process that is no longer root cannot change its groups.
 */
final class PrivilegeDrop {

    private PrivilegeDrop() {
    }

    /**
     * Switches the whole process to the user and group.
     *
     * @param user  the user; its primary group is used when {@code group} is empty
     * @param group the group
     * @throws IOException when the system refuses (not root, or no CAP_SETUID / CAP_SETGID)
     */
    static void apply(Optional<Account> user, Optional<Account> group) throws IOException {
        if (user.isEmpty() && group.isEmpty()) {
            return;
        }
        int gid = group.map(Account::id).orElseGet(() -> user.orElseThrow().gid());
        try {
            AccountsLibC.setgroups(new NativeLong(1), new int[] {gid});
            AccountsLibC.setgid(gid);
            if (user.isPresent()) {
                AccountsLibC.setuid(user.get().id());
            }
        } catch (LastErrorException e) {
            throw new IOException("cannot drop privileges to " + describe(user, group) + ": " + e.getMessage()
                    + " (it needs root)");
        }
    }

    /** {@code user nobody, group nogroup} for messages. */
    static String describe(Optional<Account> user, Optional<Account> group) {
        StringBuilder text = new StringBuilder();
        user.ifPresent(u -> text.append("user ").append(u.name()).append(" (uid ").append(u.id()).append(')'));
        group.ifPresent(g -> text.append(text.length() > 0 ? ", " : "").append("group ").append(g.name())
                .append(" (gid ").append(g.id()).append(')'));
        return text.toString();
    }
}
