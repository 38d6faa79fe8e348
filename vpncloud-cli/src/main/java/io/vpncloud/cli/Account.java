package io.vpncloud.cli;

import com.sun.jna.Pointer;

/**
 * The user and group the node runs as after {@code --user} / {@code --group}, looked up when the option is read so
 * that a typing error is a usage error before anything starts.
 *
 * @param name the name as given (or the number)
 * @param id   the uid (for a user) or gid (for a group)
 * @param gid  a user's primary group, used when no {@code --group} is given; for a group, its own gid
 */
record Account(String name, int id, int gid) {

    /** The user {@code text}: a name known to the system, or a numeric uid. */
    static Account user(String option, String text) throws UsageException {
        String name = OptionValues.nonBlank(option, text);
        requireLibrary(option);
        Pointer passwd = isNumber(name) ? AccountsLibC.getpwuid(Integer.parseInt(name)) : AccountsLibC.getpwnam(name);
        if (passwd == null) {
            throw new UsageException(option + ": no such user: '" + name + "'");
        }
        return new Account(name, AccountsLibC.idAfterTwoPointers(passwd, 0), AccountsLibC.idAfterTwoPointers(passwd, 1));
    }

    /** The group {@code text}: a name known to the system, or a numeric gid. */
    static Account group(String option, String text) throws UsageException {
        String name = OptionValues.nonBlank(option, text);
        requireLibrary(option);
        Pointer group = isNumber(name) ? AccountsLibC.getgrgid(Integer.parseInt(name)) : AccountsLibC.getgrnam(name);
        if (group == null) {
            throw new UsageException(option + ": no such group: '" + name + "'");
        }
        int gid = AccountsLibC.idAfterTwoPointers(group, 0);
        return new Account(name, gid, gid);
    }

    private static boolean isNumber(String name) {
        return name.matches("[0-9]{1,9}");
    }

    private static void requireLibrary(String option) throws UsageException {
        if (!AccountsLibC.LOAD_FAILURE.isEmpty()) {
            throw new UsageException(option + ": cannot look up accounts: " + AccountsLibC.LOAD_FAILURE);
        }
    }
}
