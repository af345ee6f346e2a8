import { describe, expect, it } from "vitest";
import { helpText, numberOption, parseInvocation, readPayload, UsageError } from "./args.ts";

describe("tq's arguments", () => {
  it("reads a command, its operands and options", () => {
    const inv = parseInvocation(["submit", "notify.system", "--payload", '{"a":1}', "--wait", "--json"]);
    expect(inv).toMatchObject({ command: "submit", operands: ["notify.system"], json: true, options: { payload: '{"a":1}', wait: true } });
    expect(parseInvocation(["ls", "--status", "FAILURE", "--limit", "5"]).options).toMatchObject({ status: "FAILURE", limit: "5" });
    expect(parseInvocation(["--url", "http://x", "queues"]).url).toBe("http://x");
  });

  it("answers help with no command, help, -h and help COMMAND", () => {
    expect(parseInvocation([]).command).toBe("help");
    expect(parseInvocation(["submit", "-h"])).toMatchObject({ command: "help", operands: ["submit"] });
    expect(helpText("submit")).toContain("tq submit TYPE [--payload …] [--wait]");
    expect(helpText()).toContain("TQ_API_KEY");
  });

  it("refuses unknown commands, missing or extra operands, and options the command does not take", () => {
    const refuse = (argv: string[], message: RegExp) => expect(() => parseInvocation(argv)).toThrow(message);
    refuse(["sumbit", "x"], /unknown command "sumbit"/);
    refuse(["submit"], /tq submit needs TYPE/);
    refuse(["status", "a", "b"], /takes 1 operand; got a b/);
    refuse(["ls", "--terminate"], /tq ls takes no --terminate/);
    refuse(["ls", "--bogus"], /Unknown option '--bogus'/);
    refuse(["schedules", "drop", "x"], /one of ls, create, pause, resume, trigger, rm/);
    refuse(["schedules", "pause"], /needs NAME/);
    refuse(["schedules", "create", "nightly", "--cron", "0 0 * * *"], /needs --cron and --task/);
    refuse(["schedules", "rm", "nightly", "--cron", "x"], /takes no schedule options/);
    expect(() => parseInvocation(["submit"])).toThrow(UsageError);
  });

  it("takes a payload inline or from @file, and says when it is not JSON", () => {
    expect(readPayload('{"x":[1]}')).toEqual({ x: [1] });
    expect(readPayload(undefined)).toEqual({});
    expect(readPayload("@p.json", (file) => (file === "p.json" ? '{"y":2}' : ""))).toEqual({ y: 2 });
    expect(() => readPayload("@missing.json", () => { throw new Error("ENOENT: no such file"); })).toThrow(/--payload @missing.json: ENOENT/);
    expect(() => readPayload("{x:1}")).toThrow(/--payload is not JSON/);
  });

  it("checks numeric options", () => {
    expect(numberOption({ limit: "20" }, "limit", 1)).toBe(20);
    expect(numberOption({}, "limit", 1)).toBeUndefined();
    expect(() => numberOption({ limit: "0" }, "limit", 1)).toThrow(/--limit must be a number ≥ 1; got "0"/);
    expect(() => numberOption({ timeout: "soon" }, "timeout")).toThrow(/--timeout must be a number/);
  });
});
