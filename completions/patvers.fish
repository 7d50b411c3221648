# fish completion for patvers: the candidates come from `patvers __complete`.
function __patvers_complete
	set -l words (commandline -opc) (commandline -ct)
	patvers __complete -- $words[2..-1] 2>/dev/null
end
complete -c patvers -a '(__patvers_complete)'
