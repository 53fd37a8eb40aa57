import './ui/global.css';
import './ui/app-shell';
