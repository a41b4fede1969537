// The shell side of completion: each script hands the words typed to `k8snet-tui __complete` and
// offers what it prints, one candidate per line. The program name is a parameter, so the same
// scripts serve `kubectl-k8snet`.

export type CompletionShell = 'bash' | 'zsh' | 'fish';

export function completionScript(shell: CompletionShell, program: string): string {
	const fn = `_${program.replace(/[^A-Za-z0-9]/g, '_')}`;
	switch (shell) {
		case 'bash':
			return `# bash completion for ${program}: source <(${program} completion bash)
${fn}() {
	local IFS=$'\\n'
	COMPREPLY=($(${program} __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F ${fn} ${program}
`;
		case 'zsh':
			return `#compdef ${program}
# zsh completion for ${program}: source <(${program} completion zsh)
${fn}() {
	local -a candidates
	candidates=("\${(@f)$(${program} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
	compadd -- \${candidates:#}
}
compdef ${fn} ${program}
`;
		case 'fish':
			return `# fish completion for ${program}: ${program} completion fish | source
complete -c ${program} -f -a '(${program} __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`;
	}
}
