# bash completion for patvers. The candidates come from the binary itself
# (`patvers __complete -- WORDS…`), so they follow its commands and the
# database's units, people and meetings.
_patvers() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	local IFS=$'\n'
	COMPREPLY=($(patvers __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
	# nothing known here (a file name, a free text): offer files
	if [ ${#COMPREPLY[@]} -eq 0 ]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _patvers patvers
