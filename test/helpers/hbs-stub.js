module.exports = () => '';
