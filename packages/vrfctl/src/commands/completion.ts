import { UsageError } from '../errors.js';
import { writeLine, type GlobalOptions } from '../context.js';

// Words offered after each command; VRF and device names are completed from /sys/class/net.
const SUBCOMMANDS: Record<string, string> = {
  route: 'show list add replace append change del get flush',
  rule: 'show list add del fixup',
  link: 'show',
  addr: 'show add del replace flush',
  neigh: 'show add del replace',
  bridge: 'vlan',
  sysctl: 'show set',
  monitor: 'link addr route rule neigh all',
  nl: 'decode encode',
  completion: 'bash',
};
const COMMANDS = 'list show add del enslave release exec identify pids route rule link addr neigh bridge sysctl monitor apply diff doctor batch nl completion';
const GLOBAL = '--netns -4 -6 --json --pretty --dry-run --hex --debug --help';

export function run(args: string[], _opts: GlobalOptions): number {
  if (args[0] !== 'bash') throw new UsageError(`completion: unsupported shell "${args[0] ?? ''}" (supported: bash)`);
  const cases = Object.entries(SUBCOMMANDS)
    .map(([cmd, words]) => `      ${cmd}) COMPREPLY=($(compgen -W "${words}" -- "$cur")) ;;`)
    .join('\n');
  writeLine(`# bash completion for vrfctl: source <(vrfctl completion bash)
_vrfctl() {
  local cur=\${COMP_WORDS[COMP_CWORD]} i cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      -n|--netns) ((i++)) ;;
      -*) ;;
      *) cmd=\${COMP_WORDS[i]}; break ;;
    esac
  done
  if [ -z "$cmd" ]; then
    COMPREPLY=($(compgen -W "${COMMANDS} ${GLOBAL}" -- "$cur"))
    return
  fi
  if [ "$i" -eq $((COMP_CWORD - 1)) ]; then
    case $cmd in
${cases}
      show|del|enslave|pids|exec) COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur")) ;;
    esac
  elif [ "$cmd" = bridge ] && [ "$i" -eq $((COMP_CWORD - 2)) ]; then
    COMPREPLY=($(compgen -W "add del show" -- "$cur"))
  elif [ "$cmd" = bridge ]; then
    COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null) dev vid pvid untagged self master" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null) dev vrf table via" -- "$cur"))
  fi
}
complete -F _vrfctl vrfctl`);
  return 0;
}
