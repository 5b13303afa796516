package io.inferenceworker.cli;

/** The exit codes of every command, also listed in each command's {@code --help}. */
final class ExitCodes {
    /** The command did what was asked; with {@code --wait}, the job SUCCEEDED. */
    static final int OK = 0;
    /** The job FAILED, was INVALID or EXPIRED ({@code load}: at least one job did not succeed), or the command failed. */
    static final int JOB_FAILED = 1;
    /** Bad command line, input file or client configuration (picocli's usage error, or a refused configuration). */
    static final int USAGE = 2;
    /** No result within {@code --timeout}. */
    static final int TIMEOUT = 3;
    /** Kafka or the schema registry could not be reached (or refused the credentials). */
    static final int UNREACHABLE = 4;

    static final String HEADING = "%nExit codes:%n";
    static final String OK_LINE = "0:OK (with --wait: the job SUCCEEDED)";
    static final String FAILED_LINE =
            "1:job FAILED, INVALID or EXPIRED (load: any job did not succeed), or the command failed";
    static final String USAGE_LINE = "2:usage error: unknown option, bad value, unreadable request file, "
            + "client configuration refused (--command-config)";
    static final String TIMEOUT_LINE = "3:timeout: no result within --timeout";
    static final String UNREACHABLE_LINE = "4:Kafka or the schema registry unreachable (or credentials refused)";

    private ExitCodes() {
    }
}
