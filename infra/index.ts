/** Entry point of `pulumi up`: Pulumi calls the exported function; what it returns are the stack outputs. */
import { program } from "./program";

export = program;
